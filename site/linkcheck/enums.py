from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INTERNAL = "internal", _("站内链接")
    EXTERNAL = "external", _("外部链接")


class Severity(models.TextChoices):
    ERROR = "error", _("失效")
    WARNING = "warning", _("需更新")


class Status(models.TextChoices):
    """What is wrong with a link. Internal: the page (or document) it names; external: what the
    address answered when it was last checked."""

    DELETED = "deleted", _("目标已删除")
    UNPUBLISHED = "unpublished", _("目标未发布")
    MOVED = "moved", _("页面已移动")
    MISSING = "missing", _("站内地址不存在")
    HARD_CODED = "hard_coded", _("固定地址")
    REDIRECTED = "redirected", _("已永久迁移")
    CLIENT_ERROR = "client_error", _("4xx错误")
    SERVER_ERROR = "server_error", _("5xx错误")
    FORBIDDEN = "forbidden", _("拒绝访问")
    TIMEOUT = "timeout", _("超时")
    UNREACHABLE = "unreachable", _("无法连接")
    PRIVATE = "private", _("内网地址")


class RunState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("检查中")
    FINISHED = "finished", _("已完成")
    FAILED = "failed", _("失败")
