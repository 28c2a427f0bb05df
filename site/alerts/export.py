"""The lists of people the site reaches, in the admin, and their download (CSV or Excel, with
the list's filters) for the 审核 group only: SMS subscribers (`alerts.export_subscriber`) and
公众号 followers (`alerts.export_wechatfollower`).

Numbers and openids stay masked in the file as on screen. Nothing a moderator does with a download needs
them in full: the site sends every text itself, counts and consent dates need no number, and one
resident's record is found by searching their whole number. A full list would be the most
harmful thing this site could leak. Every download is recorded: who, when, which list, how many
rows, format and filters (SubscriberExport and Wagtail's audit log, so the admin's site history
shows it), never a number, nor the search term, which is one."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.snippets.views.snippets import IndexView

from alerts.enums import ConsentSource, ExportedList, SubscriberStatus
from alerts.models import SubscriberExport
from importers.csv_safety import spreadsheet_safe

ACTION = "alerts.export_subscribers"


def _local(moment):
    return timezone.localtime(moment) if moment else None


class LoggedExportIndexView(IndexView):
    """A snippet list whose download is for `export_permission` only and is recorded."""

    export_permission: str
    exported_list: str  # ExportedList
    filter_choices: dict = {}  # query parameter -> its TextChoices, recorded with the download

    @cached_property
    def show_export_buttons(self):
        return self.request.user.has_perm(self.export_permission)

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            return spreadsheet_safe(value)
        return value

    def stream_csv(self, queryset):
        yield "\ufeff"  # a BOM, or Excel reads UTF-8 as GBK and garbles the Chinese
        yield from super().stream_csv(queryset)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        if not self.request.user.has_perm(self.export_permission):
            raise PermissionDenied
        query = self.request.GET
        filters = {
            name: [value for value in query.getlist(name) if value in choices.values]
            for name, choices in self.filter_choices.items()
            if query.getlist(name)
        }
        filters["searched"] = bool(query.get("q"))
        export = SubscriberExport.objects.create(
            user=self.request.user,
            username=self.request.user.get_username(),
            exported_list=self.exported_list,
            rows=queryset.count(),
            file_format=spreadsheet_format,
            filters=filters,
        )
        log(
            export,
            ACTION,
            user=self.request.user,
            data={
                "rows": export.rows,
                "format": spreadsheet_format,
                "filters": filters,
                "list": self.exported_list,
            },
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)


class SubscriberIndexView(LoggedExportIndexView):
    export_permission = "alerts.export_subscriber"
    exported_list = ExportedList.SUBSCRIBERS
    filter_choices = {"status": SubscriberStatus, "consent_source": ConsentSource}

    list_export = [
        "id",
        "phone",
        "status",
        "communities",
        "utilities",
        "consent_at",
        "consent_source",
        "verified_at",
        "unsubscribed_at",
        "unsubscribe_reason",
        "created_at",
    ]
    export_headings = {
        "id": _("编号"),
        "phone": _("手机号（已隐藏）"),
        "status": _("状态"),
        "communities": _("关注小区"),
        "utilities": _("关注类型"),
        "consent_at": _("同意接收时间"),
        "consent_source": _("同意来源"),
        "verified_at": _("验证时间"),
        "unsubscribed_at": _("退订时间"),
        "unsubscribe_reason": _("退订方式"),
        "created_at": _("创建时间"),
    }

    def get_filename(self):
        return "sms-subscribers"  # the viewset would name it after the table

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.is_export:
            return queryset.prefetch_related("communities", "followed_utilities")
        return queryset

    def to_row_dict(self, item):
        return {
            "id": item.pk,
            "phone": item.masked_phone,
            "status": item.get_status_display(),
            "communities": "、".join(sorted(c.name for c in item.communities.all())),
            "utilities": "、".join(str(utility.label) for utility in item.utilities),
            "consent_at": _local(item.consent_at),
            "consent_source": item.get_consent_source_display(),
            "verified_at": _local(item.verified_at),
            "unsubscribed_at": _local(item.unsubscribed_at),
            "unsubscribe_reason": item.get_unsubscribe_reason_display(),
            "created_at": _local(item.created_at),
        }


class FollowerIndexView(LoggedExportIndexView):
    export_permission = "alerts.export_wechatfollower"
    exported_list = ExportedList.FOLLOWERS
    list_export = ["id", "openid", "following", "communities", "created_at", "left_at"]
    export_headings = {
        "id": _("编号"),
        "openid": _("openid（已隐藏）"),
        "following": _("关注中"),
        "communities": _("绑定小区"),
        "created_at": _("首次绑定时间"),
        "left_at": _("离开时间"),
    }

    def get_filename(self):
        return "wechat-followers"

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.is_export:
            return queryset.prefetch_related("bindings__community")
        return queryset

    def to_row_dict(self, item):
        return {
            "id": item.pk,
            "openid": item.masked_openid,
            "following": _("是") if item.following else _("否"),
            "communities": "、".join(sorted(b.community.name for b in item.bindings.all())),
            "created_at": _local(item.created_at),
            "left_at": _local(item.left_at),
        }
