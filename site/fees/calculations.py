"""Heating fee, chargeable area, mid-season resumption and low-temperature refund arithmetic.

Pure functions over published rules passed in as data (`FeeRules`, `RefundRules`); a later
step reads those rules from an editable page per heating season. Every calculator returns a
`Calculation`: the amount, rounded as a receipt would (ROUND_HALF_UP to the fen), and the
working as `Step`s whose `rule` key names the published rule applied, so a page can link
each step to the FAQ answer or regulation article behind it.

Intermediate values keep full Decimal precision and only the final amount is rounded, so a
long calculation never drifts by a fen from the same figure computed in one go. Each amount
divides by the season's days once, last: an exact half fen (x.xx5) then stays exact, where
dividing first would leave x.xx4999… and round it down.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from enum import StrEnum

FEN = Decimal("0.01")
MAX_HEIGHT = Decimal(30)
MIN_TEMPERATURE = Decimal(-30)
MAX_TEMPERATURE = Decimal(40)
YUAN = "元"
SQM = "㎡"


class CalculationError(ValueError):
    """Input a calculator refuses. The message is Chinese and meant for the resident as is;
    `field` names the offending input so a form can show the message next to it."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.message = message
        self.field = field


class Use(StrEnum):
    RESIDENTIAL = "residential"
    NON_RESIDENTIAL = "non-residential"
    INDUSTRIAL_SCHOOL_COMMERCIAL = "industrial-school-commercial"


class Space(StrEnum):
    ATTIC = "attic"
    BASEMENT = "basement"


@dataclass(frozen=True)
class Step:
    description: str
    arithmetic: str
    value: Decimal
    rule: str


@dataclass(frozen=True)
class Calculation:
    amount: Decimal
    unit: str
    steps: tuple[Step, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeeRules:
    """One heating season's published fee rules. Ratios are fractions: 5 % is 0.05."""

    residential_price: Decimal
    non_residential_price: Decimal
    high_ceiling_threshold: Decimal
    high_ceiling_unit: Decimal
    high_ceiling_unit_surcharge: Decimal
    high_ceiling_cap: Decimal
    garage_ratio: Decimal
    garage_threshold: Decimal
    garage_surcharge: Decimal
    basic_fee_ratio: Decimal
    season_days: int
    relief_per_sqm: Decimal

    @property
    def high_ceiling_cap_height(self) -> Decimal:
        """The height from which the surcharge stays at its cap (6 m with the seed's rules)."""
        units = self.high_ceiling_cap / self.high_ceiling_unit_surcharge
        return self.high_ceiling_threshold + units * self.high_ceiling_unit


@dataclass(frozen=True)
class RefundBand:
    """Room temperatures in [lower, upper) refund `ratio` of the daily fee per day;
    `lower` None means the band has no lower bound."""

    lower: Decimal | None
    upper: Decimal
    ratio: Decimal
    rule: str
    label: str

    def contains(self, temperature: Decimal) -> bool:
        return (self.lower is None or temperature >= self.lower) and temperature < self.upper


@dataclass(frozen=True)
class RefundRules:
    season_days: int
    bands: tuple[RefundBand, ...]
    exclusions: tuple[str, ...]


# 长春 (seed 000, 关于热费). Its FAQ publishes no low-income relief; the 4 元/㎡ is seed 003's
# (菏泽) 低保 relief, so the demo company has one to show.
SEED_000_RULES = FeeRules(
    residential_price=Decimal("27"),
    non_residential_price=Decimal("31"),
    high_ceiling_threshold=Decimal("3"),
    high_ceiling_unit=Decimal("0.3"),
    high_ceiling_unit_surcharge=Decimal("0.05"),
    high_ceiling_cap=Decimal("0.50"),
    garage_ratio=Decimal("0.50"),
    garage_threshold=Decimal("4"),
    garage_surcharge=Decimal("0.05"),
    basic_fee_ratio=Decimal("0.20"),
    season_days=167,
    relief_per_sqm=Decimal("4"),
)

# 曲阜 (seed 004, 热用户测温、退费管理规定 第三条). The seed reads 低于16℃在14—16℃之间 20 %,
# 在10—14℃之间 50 %, 低于10℃ 100 %. 低于 is strict: 16.0 ℃ refunds nothing and 10.0 ℃ is not
# in the bottom band, so it falls in 10—14. Reading every band the same way, [lower, upper),
# 14.0 ℃ falls in 14—16: a reading on an edge takes the warmer band's, smaller, refund.
SEED_004_RULES = RefundRules(
    season_days=120,
    bands=(
        RefundBand(Decimal(14), Decimal(16), Decimal("0.20"), "refund-band-14-16", "在14—16℃之间"),
        RefundBand(Decimal(10), Decimal(14), Decimal("0.50"), "refund-band-10-14", "在10—14℃之间"),
        RefundBand(None, Decimal(10), Decimal(1), "refund-band-below-10", "低于10℃"),
    ),
    exclusions=(
        "擅自拆、改室内供热设施影响供热的；",
        "室内装修致使散热器无法正常散热的；",
        "不配合供热单位进行室内供热设施正常维修、维护的；",
        "发生极端气候超出供热设施设计规范确定的室外计算温度的；",
        "发生不可抗力事件，造成无法正常供热的。",
    ),
)


@dataclass(frozen=True)
class _AreaRule:
    """GB/T 50353-2013: full area from `full_from`, half from `half_from`, none below."""

    height_name: str
    full_from: Decimal
    half_from: Decimal
    rule: str


AREA_RULES = {
    Space.ATTIC: _AreaRule("结构净高", Decimal("2.10"), Decimal("1.20"), "attic-area"),
    # 3.0.5 has no "none" band for basements: every height below 2.20 m counts half.
    Space.BASEMENT: _AreaRule("结构层高", Decimal("2.20"), Decimal(0), "basement-area"),
}


def heating_fee(
    area: Decimal,
    use: Use,
    rules: FeeRules,
    *,
    ceiling_height: Decimal | None = None,
    garage: bool = False,
    suspended: bool = False,
    relief: bool = False,
) -> Calculation:
    """A season's heating fee.

    `garage` prices the area as a public garage with heating, whatever `use` says.
    `ceiling_height` None means not above any surcharge threshold. `suspended` charges the
    basic fee of a home that applied not to use heat. The 低保 relief comes off the unit
    price, before the basic-fee ratio, as it is published per ㎡ of the area paid for.
    """
    area = _positive_area(area)
    height = None if ceiling_height is None else _height(ceiling_height)
    if relief and (garage or use is not Use.RESIDENTIAL):
        raise CalculationError("低保减免只适用于居民住宅。", "relief")
    steps = [_unit_price_step(use, garage, rules)]
    notes = []
    if height is not None and (garage or use is Use.INDUSTRIAL_SCHOOL_COMMERCIAL):
        steps.append(_surcharge_step(steps[-1].value, height, garage, rules))
        if not garage and height >= rules.high_ceiling_cap_height:
            notes.append(
                f"层高达{_num(rules.high_ceiling_cap_height)}米（含）的特殊用户，可由供热企业和"
                "热用户根据实际耗热情况协商议价；此处按最高加价计算。"
            )
    if relief:
        steps.append(_relief_step(steps[-1].value, rules))
    price = steps[-1].value
    full = price * area
    steps.append(
        Step(
            "按建筑面积计算热费",
            f"{_num(price)} 元/㎡ × {_num(area)} ㎡ {_eq(full)} 元",
            full,
            "area",
        )
    )
    if suspended:
        steps.append(_basic_fee_step(full, rules))
    return _finish(steps[-1].value, YUAN, steps, notes)


def high_ceiling_surcharge(height: Decimal, rules: FeeRules) -> Decimal:
    """The surcharge ratio for industrial, school and commercial premises of this height.

    Each 0.3 m above 3 m, or part of it, adds 5 %: 3.01 m and 3.30 m add 5 %, 3.31 m 10 %.
    The 50 % cap is reached at 6 m and holds for any height above.
    """
    excess = _height(height) - rules.high_ceiling_threshold
    if excess <= 0:
        return Decimal(0)
    units = (excess / rules.high_ceiling_unit).to_integral_value(rounding=ROUND_CEILING)
    return min(units * rules.high_ceiling_unit_surcharge, rules.high_ceiling_cap)


def chargeable_area(space: Space, portions: Iterable[tuple[Decimal, Decimal]]) -> Calculation:
    """The chargeable area of an attic or basement whose area the parties dispute.

    `portions` are (height, area) pairs, one per part of the space of one height; the
    result is rounded to 0.01 ㎡.
    """
    rule = AREA_RULES[space]
    steps = [_area_portion_step(rule, _height(h), _positive_area(a)) for h, a in portions]
    if not steps:
        raise CalculationError("请至少填写一个部位的层高和面积。", "portions")
    if len(steps) > 1:
        total = sum((step.value for step in steps), Decimal(0))
        steps.append(_sum_step(steps, total, SQM, rule.rule))
    return _finish(steps[-1].value, SQM, steps)


def resume_fee(
    season_total: Decimal,
    days_after_resumption: int,
    rules: FeeRules,
    *,
    basic_fee_paid: Decimal | None = None,
) -> Calculation:
    """What a suspended home owes on resuming heating mid-season.

    The season total is pro-rated over the days from resumption and the basic fee already
    paid (by default the season total × the basic-fee ratio) is credited. When that credit
    exceeds the pro-rated fee nothing is owed: the amount is 0 and a final step and a note
    give the difference, which the rule (其余退还) says is refunded.
    """
    total = _positive(season_total, "供热期热费总额必须大于0元。", "season_total")
    days = _day_count(days_after_resumption, "days")
    if days == 0:
        raise CalculationError("恢复供热后天数必须大于0天。", "days")
    if days > rules.season_days:
        raise CalculationError(f"恢复供热后天数不能超过供热期的{rules.season_days}天。", "days")
    prorated = total * days / rules.season_days
    steps = [
        Step(
            f"恢复供热后的热费：供热期应缴热费总额 ÷ {rules.season_days} 天 × 恢复供热后天数",
            f"{_num(total)} 元 ÷ {rules.season_days} 天 × {days} 天 {_eq(prorated)} 元",
            prorated,
            "resume",
        ),
        _basic_fee_paid_step(total, basic_fee_paid, rules),
    ]
    paid = steps[-1].value
    if prorated >= paid:
        due = (total * days - paid * rules.season_days) / rules.season_days
        steps.append(_credit_step(prorated, paid, due))
        return _finish(due, YUAN, steps)
    excess = (paid * rules.season_days - total * days) / rules.season_days
    surplus = _round(excess)
    steps.append(
        Step(
            "已缴基础热费多于恢复供热后的热费，无需再缴，多缴部分退还",
            f"{_num(paid)} 元 − {_num(prorated)} 元 {_eq(excess)} 元",
            surplus,
            "resume-credit",
        )
    )
    note = f"已缴基础热费多于恢复供热后的热费，本次无需缴费；多缴的 {_num(surplus)} 元应予退还。"
    return Calculation(Decimal("0.00"), YUAN, tuple(steps), (note,))


def temperature_refund(
    price: Decimal,
    area: Decimal,
    readings: Iterable[tuple[Decimal, int]],
    rules: RefundRules,
) -> Calculation:
    """The refund for days a room was confirmed below temperature.

    `readings` are (confirmed temperature ℃, days) pairs; see `SEED_004_RULES` for which
    band a temperature on an edge falls in. A reading of 16 ℃ or more refunds nothing but
    still shows as a step, so the resident sees why.
    """
    entries = []
    for temperature, days in readings:
        temperature = _temperature(temperature)
        band = next((b for b in rules.bands if b.contains(temperature)), None)
        entries.append((f"室温 {temperature}℃，", band, _day_count(days, "days")))
    return _refund(price, area, entries, rules)


def band_refund(
    price: Decimal,
    area: Decimal,
    days_by_band: Mapping[str, int],
    rules: RefundRules,
) -> Calculation:
    """The refund from a number of confirmed days per band, keyed by the band's `rule`."""
    unknown = set(days_by_band) - {band.rule for band in rules.bands}
    if unknown:
        raise ValueError(f"unknown refund bands: {sorted(unknown)}")
    entries = [
        ("室温", band, _day_count(days_by_band[band.rule], "days"))
        for band in rules.bands
        if band.rule in days_by_band
    ]
    return _refund(price, area, entries, rules)


def _refund(price, area, entries, rules: RefundRules) -> Calculation:
    price = _positive(price, "热价必须大于0元/㎡。", "price")
    area = _positive_area(area)
    entries = [entry for entry in entries if entry[2]]
    if not entries:
        raise CalculationError("请填写室温不达标的天数。", "days")
    if sum(days for _, _, days in entries) > rules.season_days:
        raise CalculationError(f"室温不达标天数合计不能超过供热期的{rules.season_days}天。", "days")
    fee = price * area
    daily = fee / rules.season_days
    steps = [
        Step(
            f"日采暖费 = 现行供热价格 × 房屋建筑面积 ÷ {rules.season_days} 天",
            f"{_num(price)} 元/㎡ × {_num(area)} ㎡ ÷ {rules.season_days} 天 {_eq(daily)} 元/天",
            daily,
            "refund-daily-fee",
        )
    ]
    threshold = max(band.upper for band in rules.bands)
    band_steps = [
        _band_step(fee, rules.season_days, subject, band, days, threshold)
        for subject, band, days in entries
    ]
    steps += band_steps
    if len(band_steps) > 1:
        weighted_days = sum(band.ratio * days for _, band, days in entries if band)
        total = fee * weighted_days / rules.season_days
        steps.append(_sum_step(band_steps, total, YUAN, "refund-total"))
    return _finish(steps[-1].value, YUAN, steps, ("有下列情况之一不予退费：", *rules.exclusions))


def _band_step(
    fee: Decimal,
    season_days: int,
    subject: str,
    band: RefundBand | None,
    days: int,
    threshold: Decimal,
) -> Step:
    if band is None:
        return Step(f"{subject}不低于{threshold}℃，不退费", "0.00 元", Decimal(0), "refund-none")
    refund = fee * band.ratio * days / season_days
    return Step(
        f"{subject}{band.label}，按日退费额的{_pct(band.ratio)}退费",
        f"{_num(fee / season_days)} 元/天 × {_pct(band.ratio)} × {days} 天 {_eq(refund)} 元",
        refund,
        band.rule,
    )


def _unit_price_step(use: Use, garage: bool, rules: FeeRules) -> Step:
    if garage:
        base = rules.non_residential_price
        price = base * rules.garage_ratio
        arithmetic = f"{_num(base)} 元/㎡ × {_pct(rules.garage_ratio)} {_eq(price)} 元/㎡"
        description = f"有供热设施的公共地下车库按非居民热价的{_pct(rules.garage_ratio)}收取"
        return Step(description, arithmetic, price, "garage")
    if use is Use.RESIDENTIAL:
        price = rules.residential_price
        return Step("居民住宅热价", f"{_num(price)} 元/㎡", price, "residential-price")
    price = rules.non_residential_price
    return Step("非居民热价", f"{_num(price)} 元/㎡", price, "non-residential-price")


def _surcharge_step(price: Decimal, height: Decimal, garage: bool, rules: FeeRules) -> Step:
    if garage:
        threshold, rule = rules.garage_threshold, "garage-high-ceiling"
        ratio = rules.garage_surcharge if height > threshold else Decimal(0)
        how = f"一次性加收热价{_pct(rules.garage_surcharge)}"
    else:
        threshold, rule = rules.high_ceiling_threshold, "high-ceiling"
        ratio = high_ceiling_surcharge(height, rules)
        how = (
            f"每超高{_num(rules.high_ceiling_unit, 1)}米（不足按"
            f"{_num(rules.high_ceiling_unit, 1)}米计）加收{_pct(rules.high_ceiling_unit_surcharge)}，"
            f"最高加价{_pct(rules.high_ceiling_cap)}"
        )
    if not ratio:
        return Step(
            f"层高 {_num(height)} 米，未超过{_num(threshold)}米，不加价",
            f"{_num(price)} 元/㎡",
            price,
            rule,
        )
    surcharged = price * (1 + ratio)
    return Step(
        f"层高 {_num(height)} 米，超过{_num(threshold)}米：{how}",
        f"{_num(price)} 元/㎡ × (1 + {_pct(ratio)}) {_eq(surcharged)} 元/㎡",
        surcharged,
        rule,
    )


def _relief_step(price: Decimal, rules: FeeRules) -> Step:
    relieved = price - rules.relief_per_sqm
    return Step(
        f"低保家庭按实际缴费面积每平方米减免{_num(rules.relief_per_sqm)}元",
        f"{_num(price)} 元/㎡ − {_num(rules.relief_per_sqm)} 元/㎡ {_eq(relieved)} 元/㎡",
        relieved,
        "relief",
    )


def _basic_fee_step(full: Decimal, rules: FeeRules) -> Step:
    basic = full * rules.basic_fee_ratio
    return Step(
        f"停热用户缴纳基础热费（全额热费的{_pct(rules.basic_fee_ratio)}）",
        f"{_num(full)} 元 × {_pct(rules.basic_fee_ratio)} {_eq(basic)} 元",
        basic,
        "basic-fee",
    )


def _basic_fee_paid_step(total: Decimal, paid: Decimal | None, rules: FeeRules) -> Step:
    if paid is not None:
        paid = _decimal(paid)
        if paid < 0:
            raise CalculationError("已缴基础热费不能为负数。", "basic_fee_paid")
        return Step("已缴纳的基础热费", f"{_num(paid)} 元", paid, "basic-fee")
    # What was paid is a receipt amount, so it is rounded before being credited.
    paid = _round(total * rules.basic_fee_ratio)
    return Step(
        f"已缴纳的基础热费（全额热费的{_pct(rules.basic_fee_ratio)}）",
        f"{_num(total)} 元 × {_pct(rules.basic_fee_ratio)} = {_num(paid)} 元",
        paid,
        "basic-fee",
    )


def _credit_step(prorated: Decimal, paid: Decimal, due: Decimal) -> Step:
    return Step(
        "扣除已缴纳的基础热费",
        f"{_num(prorated)} 元 − {_num(paid)} 元 {_eq(due)} 元",
        due,
        "resume-credit",
    )


def _area_portion_step(rule: _AreaRule, height: Decimal, area: Decimal) -> Step:
    if height >= rule.full_from:
        ratio, where = Decimal(1), f"{_num(rule.full_from)}米及以上，计算全面积"
    elif height >= rule.half_from:
        lower = f"{_num(rule.half_from)}米及以上至" if rule.half_from else ""
        ratio, where = Decimal("0.5"), f"{lower}{_num(rule.full_from)}米以下，计算1/2面积"
    else:
        ratio, where = Decimal(0), f"{_num(rule.half_from)}米以下，不计算面积"
    counted = area * ratio
    return Step(
        f"{rule.height_name} {_num(height)} 米，在{where}",
        f"{_num(area)} ㎡ × {_pct(ratio)} {_eq(counted)} ㎡",
        counted,
        rule.rule,
    )


def _sum_step(steps: list[Step], total: Decimal, unit: str, rule: str) -> Step:
    terms = " + ".join(_num(step.value) for step in steps)
    return Step("合计", f"{terms} {_eq(total)} {unit}", total, rule)


_ROUNDING = {YUAN: "按收据惯例四舍五入到分", SQM: "面积四舍五入到0.01平方米"}


def _finish(amount: Decimal, unit: str, steps: list[Step], notes=()) -> Calculation:
    """Round the amount; the rounding is a step of its own only when it changes the figure."""
    rounded = _round(amount)
    if rounded != amount:
        arithmetic = f"{_num(amount, 2, 6)} {unit} → {_num(rounded)} {unit}"
        steps = [*steps, Step(_ROUNDING[unit], arithmetic, rounded, "rounding")]
    return Calculation(rounded, unit, tuple(steps), tuple(notes))


def _round(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def _num(value: Decimal, places: int = 2, most: int = 4) -> str:
    """At least `places` decimals and at most `most`: 27 → 27.00, 16.275 → 16.275."""
    for digits in range(places, most):
        shown = value.quantize(Decimal(1).scaleb(-digits))
        if shown == value:
            return f"{shown:f}"
    return f"{value.quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_UP):f}"


def _eq(value: Decimal) -> str:
    """'= value', or '≈ value' when `_num` had to cut digits off."""
    exact = value == value.quantize(Decimal("0.0001"))
    return f"{'=' if exact else '≈'} {_num(value)}"


def _pct(ratio: Decimal) -> str:
    return f"{(ratio * 100).normalize():f}%"


def _decimal(value) -> Decimal:
    # A float has already lost the exact figure the resident typed, so refuse it outright.
    if not isinstance(value, Decimal | int):
        raise TypeError(f"expected Decimal or int, got {type(value).__name__}")
    return Decimal(value)


def _positive(value, message: str, field: str) -> Decimal:
    value = _decimal(value)
    if value <= 0:
        raise CalculationError(message, field)
    return value


def _positive_area(area) -> Decimal:
    return _positive(area, "面积必须大于0平方米。", "area")


def _height(height) -> Decimal:
    height = _positive(height, "层高必须大于0米。", "ceiling_height")
    if height > MAX_HEIGHT:
        raise CalculationError(f"层高不能超过{MAX_HEIGHT}米，请核对输入。", "ceiling_height")
    return height


def _temperature(temperature) -> Decimal:
    temperature = _decimal(temperature)
    if not MIN_TEMPERATURE <= temperature <= MAX_TEMPERATURE:
        raise CalculationError(
            f"室温{temperature}℃超出合理范围（{MIN_TEMPERATURE}℃至{MAX_TEMPERATURE}℃），请核对输入。",
            "temperature",
        )
    return temperature


def _day_count(days, field: str) -> int:
    if not isinstance(days, int):
        raise CalculationError("天数必须是整数。", field)
    if days < 0:
        raise CalculationError("天数不能为负数。", field)
    return days
