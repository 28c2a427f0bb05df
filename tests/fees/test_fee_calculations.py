"""Fee, area, resumption and refund arithmetic reproduces the figures the seeds publish."""

from decimal import Decimal

import pytest

from fees.calculations import (
    SEED_000_RULES,
    SEED_004_RULES,
    CalculationError,
    Space,
    Use,
    band_refund,
    chargeable_area,
    heating_fee,
    high_ceiling_surcharge,
    resume_fee,
    temperature_refund,
)

D = Decimal
RULES = SEED_000_RULES
REFUNDS = SEED_004_RULES


def rules_applied(calculation):
    return [step.rule for step in calculation.steps]


def step(calculation, rule):
    (found,) = [s for s in calculation.steps if s.rule == rule]
    return found


# Heating fee


def test_residential_price_is_27_yuan_per_sqm():
    fee = heating_fee(D(100), Use.RESIDENTIAL, RULES)
    assert fee.amount == D("2700.00")
    assert fee.unit == "元"
    assert fee.steps[0].arithmetic == "27.00 元/㎡"
    assert rules_applied(fee) == ["residential-price", "area"]


@pytest.mark.parametrize("use", [Use.NON_RESIDENTIAL, Use.INDUSTRIAL_SCHOOL_COMMERCIAL])
def test_non_residential_price_is_31_yuan_per_sqm(use):
    fee = heating_fee(D(100), use, RULES)
    assert fee.amount == D("3100.00")
    assert step(fee, "non-residential-price").value == D(31)


def test_garage_is_half_the_non_residential_price():
    fee = heating_fee(D(20), Use.NON_RESIDENTIAL, RULES, garage=True)
    garage = step(fee, "garage")
    assert garage.arithmetic == "31.00 元/㎡ × 50% = 15.50 元/㎡"
    assert garage.value == D("15.50")
    assert fee.amount == D("310.00")


def test_garage_is_priced_as_a_garage_whatever_the_use():
    residential = heating_fee(D(20), Use.RESIDENTIAL, RULES, garage=True)
    assert residential.amount == D("310.00")
    assert rules_applied(residential) == ["garage", "area"]


@pytest.mark.parametrize(
    ("height", "unit_price"),
    [("3.9", "15.50"), ("4.0", "15.50"), ("4.01", "16.275"), ("12", "16.275")],
)
def test_garage_above_4_m_adds_5_percent_once(height, unit_price):
    fee = heating_fee(D(1), Use.NON_RESIDENTIAL, RULES, garage=True, ceiling_height=D(height))
    assert step(fee, "garage-high-ceiling").value == D(unit_price)


@pytest.mark.parametrize(
    ("height", "surcharge"),
    [
        ("3.0", "0"),
        ("3.01", "0.05"),
        ("3.3", "0.05"),
        ("3.31", "0.10"),
        ("5.7", "0.45"),
        ("5.71", "0.50"),
        ("6.0", "0.50"),
        ("7.5", "0.50"),
    ],
)
def test_high_ceiling_surcharge_counts_every_started_0_3_m_up_to_50_percent(height, surcharge):
    assert high_ceiling_surcharge(D(height), RULES) == D(surcharge)


def test_high_ceiling_surcharge_shows_in_the_working():
    fee = heating_fee(D(100), Use.INDUSTRIAL_SCHOOL_COMMERCIAL, RULES, ceiling_height=D("3.31"))
    surcharge = step(fee, "high-ceiling")
    assert surcharge.arithmetic == "31.00 元/㎡ × (1 + 10%) = 34.10 元/㎡"
    assert "3.31 米" in surcharge.description
    assert fee.amount == D("3410.00")


def test_ceiling_at_3_m_is_checked_but_not_surcharged():
    fee = heating_fee(D(100), Use.INDUSTRIAL_SCHOOL_COMMERCIAL, RULES, ceiling_height=D("3.0"))
    assert "不加价" in step(fee, "high-ceiling").description
    assert fee.amount == D("3100.00")


@pytest.mark.parametrize(("height", "negotiable"), [("5.99", False), ("6.0", True), ("7.5", True)])
def test_from_6_m_the_fee_may_be_negotiated(height, negotiable):
    fee = heating_fee(D(100), Use.INDUSTRIAL_SCHOOL_COMMERCIAL, RULES, ceiling_height=D(height))
    assert fee.amount == D("4650.00")
    assert any("协商议价" in note for note in fee.notes) is negotiable


@pytest.mark.parametrize("use", [Use.RESIDENTIAL, Use.NON_RESIDENTIAL])
def test_only_industrial_school_and_commercial_premises_pay_for_height(use):
    fee = heating_fee(D(100), use, RULES, ceiling_height=D("7.5"))
    assert "high-ceiling" not in rules_applied(fee)


def test_suspended_home_pays_the_20_percent_basic_fee():
    fee = heating_fee(D(100), Use.RESIDENTIAL, RULES, suspended=True)
    assert step(fee, "basic-fee").arithmetic == "2700.00 元 × 20% = 540.00 元"
    assert fee.amount == D("540.00")


def test_low_income_relief_takes_4_yuan_off_each_sqm():
    fee = heating_fee(D("85.35"), Use.RESIDENTIAL, RULES, relief=True)
    assert step(fee, "relief").arithmetic == "27.00 元/㎡ − 4.00 元/㎡ = 23.00 元/㎡"
    assert fee.amount == D("1963.05")


def test_relief_comes_off_before_the_basic_fee_ratio():
    fee = heating_fee(D("85.35"), Use.RESIDENTIAL, RULES, relief=True, suspended=True)
    assert rules_applied(fee) == ["residential-price", "relief", "area", "basic-fee"]
    assert fee.amount == D("392.61")


def test_fee_rounds_half_up_to_the_fen():
    # 15.50 × 10.03 = 155.465: half-up gives 155.47 where banker's rounding would give 155.46.
    fee = heating_fee(D("10.03"), Use.NON_RESIDENTIAL, RULES, garage=True)
    rounding = step(fee, "rounding")
    assert rounding.arithmetic == "155.465 元 → 155.47 元"
    assert fee.amount == D("155.47")


def test_an_exact_fee_has_no_rounding_step():
    assert "rounding" not in rules_applied(heating_fee(D("85.35"), Use.RESIDENTIAL, RULES))


def test_amount_is_always_to_the_fen():
    assert heating_fee(D(100), Use.RESIDENTIAL, RULES).amount.as_tuple().exponent == -2


def test_floats_are_refused():
    with pytest.raises(TypeError):
        heating_fee(85.35, Use.RESIDENTIAL, RULES)


# Attic and basement area


@pytest.mark.parametrize(
    ("space", "height", "counted"),
    [
        (Space.ATTIC, "2.10", "10.00"),
        (Space.ATTIC, "2.09", "5.00"),
        (Space.ATTIC, "1.20", "5.00"),
        (Space.ATTIC, "1.19", "0.00"),
        (Space.BASEMENT, "2.20", "10.00"),
        (Space.BASEMENT, "2.19", "5.00"),
        (Space.BASEMENT, "0.5", "5.00"),
    ],
)
def test_area_counts_full_half_or_none_by_height(space, height, counted):
    area = chargeable_area(space, [(D(height), D(10))])
    assert area.amount == D(counted)
    assert area.unit == "㎡"
    assert rules_applied(area) == [f"{space}-area"]


def test_attic_portions_add_up_and_round_to_0_01_sqm():
    area = chargeable_area(
        Space.ATTIC, [(D("2.3"), D("12.35")), (D("1.5"), D("8.35")), (D(1), D(3))]
    )
    assert area.steps[1].description == "结构净高 1.50 米，在1.20米及以上至2.10米以下，计算1/2面积"
    assert area.steps[1].arithmetic == "8.35 ㎡ × 50% = 4.175 ㎡"
    assert area.steps[3].arithmetic == "12.35 + 4.175 + 0.00 = 16.525 ㎡"
    assert area.amount == D("16.53")


# Resuming mid-season


def test_resume_pro_rates_over_167_days_less_the_basic_fee():
    fee = resume_fee(D("2700.00"), 100, RULES)
    assert step(fee, "resume").arithmetic == "2700.00 元 ÷ 167 天 × 100 天 ≈ 1616.7665 元"
    assert step(fee, "basic-fee").value == D("540.00")
    assert step(fee, "resume-credit").arithmetic == "1616.7665 元 − 540.00 元 ≈ 1076.7665 元"
    assert fee.amount == D("1076.77")
    assert fee.notes == ()


def test_resume_for_the_whole_season_costs_the_fee_less_the_basic_fee():
    assert resume_fee(D("2700.00"), 167, RULES).amount == D("2160.00")


def test_resume_with_an_explicit_basic_fee_paid():
    assert resume_fee(D("2700.00"), 167, RULES, basic_fee_paid=D(500)).amount == D("2200.00")


def test_resume_late_in_the_season_owes_nothing_and_the_surplus_is_refunded():
    # 2700 ÷ 167 × 20 ≈ 323.35, less than the 540.00 already paid.
    fee = resume_fee(D("2700.00"), 20, RULES)
    assert fee.amount == D("0.00")
    assert fee.steps[-1].value == D("216.65")
    assert fee.notes == (
        "已缴基础热费多于恢复供热后的热费，本次无需缴费；多缴的 216.65 元应予退还。",
    )


# Temperature refund


@pytest.mark.parametrize(
    ("temperature", "rule", "refund"),
    [
        ("16.0", "refund-none", "0.00"),
        ("15.9", "refund-band-14-16", "4.50"),
        ("14.0", "refund-band-14-16", "4.50"),
        ("13.9", "refund-band-10-14", "11.25"),
        ("10.0", "refund-band-10-14", "11.25"),
        ("9.9", "refund-band-below-10", "22.50"),
    ],
)
def test_refund_bands_at_their_edges(temperature, rule, refund):
    # Daily fee: 27 元/㎡ × 100 ㎡ ÷ 120 天 = 22.50 元/天.
    result = temperature_refund(D(27), D(100), [(D(temperature), 1)], REFUNDS)
    assert rules_applied(result) == ["refund-daily-fee", rule]
    assert result.amount == D(refund)


def test_refund_working_follows_the_regulation():
    result = temperature_refund(D(27), D(100), [(D("15.9"), 3)], REFUNDS)
    assert result.steps[0].arithmetic == "27.00 元/㎡ × 100.00 ㎡ ÷ 120 天 = 22.50 元/天"
    assert result.steps[1].description == "室温 15.9℃，在14—16℃之间，按日退费额的20%退费"
    assert result.steps[1].arithmetic == "22.50 元/天 × 20% × 3 天 = 13.50 元"
    assert result.amount == D("13.50")


def test_sixteen_degrees_refunds_nothing_and_says_why():
    result = temperature_refund(D(27), D(100), [(D("16.0"), 5)], REFUNDS)
    assert result.steps[1].description == "室温 16.0℃，不低于16℃，不退费"


def test_refund_adds_up_several_readings():
    readings = [(D("15"), 2), (D("12"), 2), (D("8"), 1)]
    result = temperature_refund(D(27), D(100), readings, REFUNDS)
    assert step(result, "refund-total").arithmetic == "9.00 + 22.50 + 22.50 = 54.00 元"
    assert result.amount == D("54.00")


def test_refund_by_days_per_band():
    result = band_refund(
        D(27), D(100), {"refund-band-14-16": 2, "refund-band-below-10": 1}, REFUNDS
    )
    assert result.steps[1].description == "室温在14—16℃之间，按日退费额的20%退费"
    assert result.amount == D("31.50")


def test_bands_with_no_days_are_left_out():
    result = band_refund(D(27), D(100), {"refund-band-14-16": 0, "refund-band-10-14": 1}, REFUNDS)
    assert rules_applied(result) == ["refund-daily-fee", "refund-band-10-14"]


def test_unknown_band_is_a_programming_error():
    with pytest.raises(ValueError, match="refund-band-0-5"):
        band_refund(D(27), D(100), {"refund-band-0-5": 1}, REFUNDS)


def test_refund_rounds_an_exact_half_fen_up():
    # 31 × 50.20 ÷ 120 × 3 = 38.905 exactly; dividing by 120 first would give 38.90499… → 38.90.
    result = temperature_refund(D(31), D("50.20"), [(D("9.9"), 3)], REFUNDS)
    assert result.amount == D("38.91")


def test_refund_lists_the_exclusions():
    result = temperature_refund(D(27), D(100), [(D(15), 1)], REFUNDS)
    assert result.notes[0] == "有下列情况之一不予退费："
    assert "发生不可抗力事件，造成无法正常供热的。" in result.notes


def test_a_whole_season_at_the_lowest_band_refunds_the_whole_fee():
    result = temperature_refund(D(31), D(100), [(D(5), 120)], REFUNDS)
    assert result.amount == D("3100.00")


# Validation


@pytest.mark.parametrize(
    ("call", "message", "field"),
    [
        (lambda: heating_fee(D(0), Use.RESIDENTIAL, RULES), "面积必须大于0平方米。", "area"),
        (lambda: heating_fee(D(-5), Use.RESIDENTIAL, RULES), "面积必须大于0平方米。", "area"),
        (
            lambda: heating_fee(D(100), Use.RESIDENTIAL, RULES, ceiling_height=D(0)),
            "层高必须大于0米。",
            "ceiling_height",
        ),
        (
            lambda: heating_fee(D(100), Use.RESIDENTIAL, RULES, ceiling_height=D("30.01")),
            "层高不能超过30米，请核对输入。",
            "ceiling_height",
        ),
        (
            lambda: heating_fee(D(100), Use.NON_RESIDENTIAL, RULES, relief=True),
            "低保减免只适用于居民住宅。",
            "relief",
        ),
        (
            lambda: heating_fee(D(100), Use.RESIDENTIAL, RULES, garage=True, relief=True),
            "低保减免只适用于居民住宅。",
            "relief",
        ),
        (
            lambda: chargeable_area(Space.ATTIC, []),
            "请至少填写一个部位的层高和面积。",
            "portions",
        ),
        (
            lambda: chargeable_area(Space.BASEMENT, [(D(2), D(-1))]),
            "面积必须大于0平方米。",
            "area",
        ),
        (lambda: resume_fee(D(0), 10, RULES), "供热期热费总额必须大于0元。", "season_total"),
        (lambda: resume_fee(D(2700), 0, RULES), "恢复供热后天数必须大于0天。", "days"),
        (
            lambda: resume_fee(D(2700), 168, RULES),
            "恢复供热后天数不能超过供热期的167天。",
            "days",
        ),
        (lambda: resume_fee(D(2700), -3, RULES), "天数不能为负数。", "days"),
        (lambda: resume_fee(D(2700), D("1.5"), RULES), "天数必须是整数。", "days"),
        (
            lambda: resume_fee(D(2700), 10, RULES, basic_fee_paid=D(-1)),
            "已缴基础热费不能为负数。",
            "basic_fee_paid",
        ),
        (
            lambda: temperature_refund(D(0), D(100), [(D(12), 1)], REFUNDS),
            "热价必须大于0元/㎡。",
            "price",
        ),
        (
            lambda: temperature_refund(D(27), D(0), [(D(12), 1)], REFUNDS),
            "面积必须大于0平方米。",
            "area",
        ),
        (
            lambda: temperature_refund(D(27), D(100), [(D(12), 100), (D(8), 21)], REFUNDS),
            "室温不达标天数合计不能超过供热期的120天。",
            "days",
        ),
        (
            lambda: temperature_refund(D(27), D(100), [], REFUNDS),
            "请填写室温不达标的天数。",
            "days",
        ),
        (
            lambda: band_refund(D(27), D(100), {"refund-band-10-14": 0}, REFUNDS),
            "请填写室温不达标的天数。",
            "days",
        ),
        (
            lambda: temperature_refund(D(27), D(100), [(D(12), -1)], REFUNDS),
            "天数不能为负数。",
            "days",
        ),
        (
            lambda: temperature_refund(D(27), D(100), [(D(41), 1)], REFUNDS),
            "室温41℃超出合理范围（-30℃至40℃），请核对输入。",
            "temperature",
        ),
        (
            lambda: temperature_refund(D(27), D(100), [(D("-30.5"), 1)], REFUNDS),
            "室温-30.5℃超出合理范围（-30℃至40℃），请核对输入。",
            "temperature",
        ),
    ],
)
def test_invalid_input_is_refused_with_a_chinese_message(call, message, field):
    with pytest.raises(CalculationError) as raised:
        call()
    assert raised.value.message == message
    assert raised.value.field == field


def test_limits_themselves_are_accepted():
    assert heating_fee(D(1), Use.RESIDENTIAL, RULES, ceiling_height=D(30)).amount == D("27.00")
    assert temperature_refund(D(27), D(100), [(D(-30), 60), (D(40), 60)], REFUNDS)
