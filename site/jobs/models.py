from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.enums import JobKind, JobStatus


class ImportJob(models.Model):
    """An import run by the django-q2 cluster instead of the request that asked for it
    (jobs.runner): its progress, and how it ended, in Chinese, for the admin's progress page."""

    kind = models.CharField(_("类型"), max_length=30, choices=JobKind.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    stage = models.CharField(_("当前步骤"), max_length=60, blank=True)
    total = models.PositiveIntegerField(_("总数"), default=0)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    message = models.TextField(_("结果"), blank=True, help_text=_("成功时的摘要，失败时的原因"))
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    result = models.JSONField(_("结果明细"), default=dict, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    # What a user must hold to see the job, besides having started it (the import's own).
    permissions = models.JSONField(default=list, blank=True)
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    upload = models.CharField(max_length=32, blank=True)  # jobs.uploads: the stored file
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=300, blank=True)  # host:pid of the process running it
    # Set in the import's own write transaction: its data is in the database from then on.
    written_at = models.DateTimeField(_("写入时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # A preview's import, started once from it.
    next_job = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="previous_job"
    )

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0
