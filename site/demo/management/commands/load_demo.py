import logging

from django.core.management import call_command
from django.core.management.base import BaseCommand

from contacts.models import Community
from demo.channels_loader import load_channel_demo
from demo.history_loader import load_history_demo
from demo.loader import load_demo
from demo.servicedesk_loader import load_service_desk_demo


class Command(BaseCommand):
    help = (
        "载入演示内容：页面树、服务承诺、常见问题、500多个小区的联系名录和2025年的停供、推送、"
        "服务诉求记录（可重复运行）。"
    )

    def handle(self, *args, **options):
        # Wagtail logs every page created and published, the reports every month they close:
        # a demo load would print hundreds of lines.
        quieted = [logging.getLogger(name) for name in ("wagtail", "reports.tasks")]
        levels = [logger.level for logger in quieted]
        for logger in quieted:
            logger.setLevel(logging.WARNING)
        try:
            counts = load_demo()
            counts |= load_service_desk_demo()
            counts |= load_channel_demo()
            # After those two: the 2025 requests' deadlines follow the calendar's holidays,
            # and the 2025 notices reached the robots' groups and the press.
            counts |= load_history_demo()
        finally:
            for logger, level in zip(quieted, levels, strict=True):
                logger.setLevel(level)
        # Content saved before the site search existed (a database from an older version) is
        # not in its index; what the loader saves now is indexed as it is saved.
        if Community.objects.filter(index_entries=None).exists():
            call_command("update_index", verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(
                "演示内容已就绪：{pages}个页面，{branches}个分公司，{stations}个供热站，"
                "{communities}个小区，{requests}件服务诉求，{calendar_days}条节假日安排，"
                "{robots}个管家群机器人，{press_contacts}个媒体联系人；"
                "{year}年的记录：{year_notices}条停供通知，{year_messages}条推送消息，"
                "{year_requests}件服务诉求。".format(**counts)
            )
        )
