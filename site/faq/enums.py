from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionCategory(models.TextChoices):
    PAYMENT = "payment", _("缴费")
    FEES = "fees", _("热费")
    SUSPENSION = "suspension", _("停热与恢复供热")
    REPAIR = "repair", _("报修与室温")
    INVOICE = "invoice", _("发票")
    SERVICE = "service", _("服务与联系")
