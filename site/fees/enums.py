from django.db import models
from django.utils.translation import gettext_lazy as _


class Calculator(models.TextChoices):
    """The public calculators; the value is the calculator's route on the calculator page."""

    HEATING = "heating", _("热费计算")
    RESUME = "resume", _("恢复供热缴费计算")
    REFUND = "refund", _("室温不达标退费计算")
    AREA = "area", _("阁楼、地下室计费面积")


class RuleTopic(models.TextChoices):
    """A published rule a calculation step applies, which editors link to the FAQ answer or
    regulation article that states it."""

    RESIDENTIAL_PRICE = "residential-price", _("居民住宅热价")
    NON_RESIDENTIAL_PRICE = "non-residential-price", _("非居民热价")
    HIGH_CEILING = "high-ceiling", _("层高超过3米加价")
    GARAGE = "garage", _("公共地下车库")
    RELIEF = "relief", _("低保减免")
    BASIC_FEE = "basic-fee", _("停热基础热费")
    RESUME = "resume", _("停热期间恢复供热")
    REFUND = "refund", _("室温不达标退费")
    ATTIC_AREA = "attic-area", _("阁楼计费面积")
    BASEMENT_AREA = "basement-area", _("地下室计费面积")


class Use(models.TextChoices):
    """Mirrors `fees.calculations.Use` with labels for forms."""

    RESIDENTIAL = "residential", _("居民住宅")
    NON_RESIDENTIAL = "non-residential", _("非居民（商业等）")
    INDUSTRIAL_SCHOOL_COMMERCIAL = (
        "industrial-school-commercial",
        _("工业企业、学校及经营性房屋"),
    )


class Space(models.TextChoices):
    ATTIC = "attic", _("坡屋顶阁楼")
    BASEMENT = "basement", _("地下室、半地下室")
