import logging

from django.core.management import call_command
from django.core.management.base import BaseCommand

from contacts.models import Community
from demo.channels_loader import load_channel_demo
from demo.loader import load_demo
from demo.servicedesk_loader import load_service_desk_demo


class Command(BaseCommand):
    help = "载入演示内容：页面树、服务承诺、常见问题和500多个小区的联系名录（可重复运行）。"

    def handle(self, *args, **options):
        # Wagtail logs every page created and published; a demo load would print hundreds.
        wagtail_logger = logging.getLogger("wagtail")
        level = wagtail_logger.level
        wagtail_logger.setLevel(logging.WARNING)
        try:
            counts = load_demo()
            counts |= load_service_desk_demo()
            counts |= load_channel_demo()
        finally:
            wagtail_logger.setLevel(level)
        # Content saved before the site search existed (a database from an older version) is
        # not in its index; what the loader saves now is indexed as it is saved.
        if Community.objects.filter(index_entries=None).exists():
            call_command("update_index", verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(
                "演示内容已就绪：{pages}个页面，{branches}个分公司，{stations}个供热站，"
                "{communities}个小区，{requests}件服务诉求，{calendar_days}条节假日安排，"
                "{robots}个管家群机器人，{press_contacts}个媒体联系人。".format(**counts)
            )
        )
