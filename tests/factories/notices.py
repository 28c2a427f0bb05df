from datetime import timedelta

from django.utils import timezone

from notices.models import NoticeIndexPage, OutageNoticePage
from tests.factories.pages import publish_child

_counter = iter(range(1, 10**9))


def make_notice(*, communities=(), publish: bool = True, **fields) -> OutageNoticePage:
    """A live notice under the demo notice index, starting tomorrow for 12 hours by default."""
    number = next(_counter)
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    defaults = {
        "title": f"测试停供通知{number}",
        "slug": f"test-notice-{number}",
        "utility": "water",
        "kind": "planned",
        "cause": "管网检修",
        "area_name": "测试泵站",
        "district": "绿园区",
        "starts_at": start,
        "ends_at": start + timedelta(hours=12),
        "boundary_text": "南至皓月大路,北至西安大路,西至翔运街,东至铁路",
        "boundary_south": "皓月大路",
        "boundary_north": "西安大路",
        "boundary_west": "翔运街",
        "boundary_east": "铁路",
    }
    notice = OutageNoticePage(**{**defaults, **fields})
    notice.communities.set(list(communities))
    index = NoticeIndexPage.objects.get()
    if publish:
        return publish_child(index, notice)
    notice.live = False
    index.add_child(instance=notice)
    notice.save_revision()
    return notice
