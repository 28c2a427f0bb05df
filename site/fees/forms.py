"""The calculator forms. Each validates the resident's input, runs the calculation against the
season's rules in `clean()` and keeps it as `form.calculation`; a `CalculationError` becomes
an error on the field it names."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core import typed_input
from core.forms import PublicForm
from fees import calculations
from fees.enums import Calculator, Space, Use

MAX_AREA = Decimal(100_000)
AREA_PORTIONS = 3

DECIMAL_ERRORS = {
    "invalid": _("请输入数字，如 85.5。"),
    "max_digits": _("数字太长，请核对。"),
    "max_decimal_places": _("最多保留两位小数。"),
    "max_whole_digits": _("数字太大，请核对。"),
}


def _decimal(label, *, required=True, help_text="", places=2):
    return typed_input.DecimalField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=places,
        help_text=help_text,
        error_messages={**DECIMAL_ERRORS, "required": _("请填写%(label)s。") % {"label": label}},
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )


def _days(label, *, required=False, help_text=""):
    return typed_input.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=366,
        help_text=help_text,
        error_messages={
            "invalid": _("天数必须是整数。"),
            "min_value": _("天数不能为负数。"),
            "max_value": _("天数不能超过366天。"),
            "required": _("请填写%(label)s。") % {"label": label},
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def _area_field(label, *, required=True):
    return _decimal(label, required=required, help_text=_("以房屋产权证或供热合同上的面积为准。"))


class CalculatorForm(PublicForm):
    calculator: Calculator
    prefill_fields: tuple[str, ...] = ()

    def __init__(self, *args, season, **kwargs):
        super().__init__(*args, **kwargs)
        self.season = season
        self.calculation = None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        area = cleaned.get("area")
        if area is not None and area > MAX_AREA:
            self.add_error("area", _("面积超过%(max)s平方米，请核对输入。") % {"max": MAX_AREA})
            return cleaned
        try:
            self.calculation = self.calculate(cleaned)
        except calculations.CalculationError as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, error.message)
        return cleaned

    def calculate(self, cleaned) -> calculations.Calculation:
        raise NotImplementedError


class HeatingFeeForm(CalculatorForm):
    calculator = Calculator.HEATING
    prefill_fields = ("area", "use", "ceiling_height", "garage", "suspended", "relief")

    area = _area_field(_("建筑面积（㎡）"))
    use = forms.ChoiceField(
        label=_("房屋用途"),
        choices=Use.choices,
        initial=Use.RESIDENTIAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择房屋用途。"), "invalid_choice": _("请选择房屋用途。")},
    )
    ceiling_height = _decimal(
        _("结构层高（米）"),
        required=False,
        help_text=_("工业企业、学校、经营性房屋和公共地下车库层高超过规定时加价；住宅可不填。"),
    )
    garage = forms.BooleanField(label=_("有供热设施的公共地下车库（车位）"), required=False)
    suspended = forms.BooleanField(label=_("已申请停热（只缴基础热费）"), required=False)
    relief = forms.BooleanField(label=_("低保家庭（享受减免）"), required=False)

    def calculate(self, cleaned):
        return calculations.heating_fee(
            cleaned["area"],
            calculations.Use(cleaned["use"]),
            self.season.fee_rules(),
            ceiling_height=cleaned.get("ceiling_height"),
            garage=cleaned["garage"],
            suspended=cleaned["suspended"],
            relief=cleaned["relief"],
        )


class ResumeFeeForm(CalculatorForm):
    calculator = Calculator.RESUME
    prefill_fields = ("season_total", "resumed_on", "days", "basic_fee_paid")

    season_total = _decimal(
        _("供热期应缴热费总额（元）"),
        help_text=_("按全额热费计算的本供热期热费，可用热费计算器算出。"),
    )
    resumed_on = forms.DateField(
        label=_("恢复供热日期"),
        required=False,
        help_text=_("填日期或下面的天数，任选其一。"),
        error_messages={"invalid": _("请按 2026-12-01 的格式填写日期。")},
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    days = _days(_("恢复供热后天数"))
    basic_fee_paid = _decimal(
        _("已缴基础热费（元）"),
        required=False,
        help_text=_("不填则按应缴热费总额的基础热费比例计算。"),
    )

    def clean(self):
        cleaned = forms.Form.clean(self)
        resumed_on, days = cleaned.get("resumed_on"), cleaned.get("days")
        if not self.errors and resumed_on is None and days is None:
            self.add_error("days", _("请填写恢复供热日期或恢复供热后天数。"))
        elif not self.errors and resumed_on is not None:
            season = self.season
            if not season.starts_on <= resumed_on < season.ends_on:
                self.add_error(
                    "resumed_on",
                    _("恢复供热日期应在供热期（%(start)s至%(end)s）内。")
                    % {"start": season.starts_on, "end": season.ends_on},
                )
            elif days is not None and days != (season.ends_on - resumed_on).days:
                self.add_error("days", _("日期和天数不一致，请只填其中一项。"))
            else:
                cleaned["days"] = (season.ends_on - resumed_on).days
        return super().clean()

    def calculate(self, cleaned):
        return calculations.resume_fee(
            cleaned["season_total"],
            cleaned["days"],
            self.season.fee_rules(),
            basic_fee_paid=cleaned.get("basic_fee_paid"),
        )


class RefundForm(CalculatorForm):
    """Days per band: one field per refund band of the season, named by the band's position
    (band_1 is the warmest) so a pre-filled link survives an edit of the bands."""

    calculator = Calculator.REFUND
    prefill_fields = ("price", "area", "band_1", "band_2", "band_3", "band_4")

    price = _decimal(_("现行供热价格（元/㎡）"))
    area = _area_field(_("房屋建筑面积（㎡）"))

    def __init__(self, *args, season, **kwargs):
        super().__init__(*args, season=season, **kwargs)
        self.fields["price"].initial = season.residential_price
        self.band_fields = []
        for position, band in enumerate(season.bands, start=1):
            name = f"band_{position}"
            self.fields[name] = _days(
                _("室温%(label)s的天数") % {"label": band.label},
                help_text=_("按日退费额的%(percent)s%%退费")
                % {"percent": band.percent.normalize()},
            )
            self.band_fields.append((name, band))

    def calculate(self, cleaned):
        days = {band.rule_key: cleaned.get(name) or 0 for name, band in self.band_fields}
        return calculations.band_refund(
            cleaned["price"], cleaned["area"], days, self.season.refund_rules()
        )


class AreaForm(CalculatorForm):
    calculator = Calculator.AREA
    prefill_fields = (
        "space",
        *(f"{kind}_{n}" for n in range(1, AREA_PORTIONS + 1) for kind in ("height", "area")),
    )

    space = forms.ChoiceField(
        label=_("部位"),
        choices=Space.choices,
        initial=Space.ATTIC,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择部位。"), "invalid_choice": _("请选择部位。")},
    )

    def __init__(self, *args, season, **kwargs):
        super().__init__(*args, season=season, **kwargs)
        self.portions = []
        for n in range(1, AREA_PORTIONS + 1):
            height, area = f"height_{n}", f"area_{n}"
            self.fields[height] = _decimal(
                _("第%(n)s部分 净高或层高（米）") % {"n": n}, required=False
            )
            self.fields[area] = _area_field(
                _("第%(n)s部分 水平面积（㎡）") % {"n": n}, required=False
            )
            self.fields[area].help_text = ""
            self.portions.append((self[height], self[area]))

    def clean(self):
        cleaned = forms.Form.clean(self)
        for n in range(1, AREA_PORTIONS + 1):
            height, area = cleaned.get(f"height_{n}"), cleaned.get(f"area_{n}")
            if (height is None) != (area is None) and not self.errors:
                missing = f"area_{n}" if area is None else f"height_{n}"
                self.add_error(missing, _("同一部分的高度和面积都要填写。"))
        return super().clean()

    def calculate(self, cleaned):
        portions = [
            (cleaned[f"height_{n}"], cleaned[f"area_{n}"])
            for n in range(1, AREA_PORTIONS + 1)
            if cleaned.get(f"height_{n}") is not None
        ]
        return calculations.chargeable_area(calculations.Space(cleaned["space"]), portions)


FORMS = {form.calculator: form for form in (HeatingFeeForm, ResumeFeeForm, RefundForm, AreaForm)}
