"""Properties of the fee arithmetic over every input a resident could type (hypothesis):
a fee never falls as the area or the ceiling grows, a refund never exceeds the fee for the
refunded days, and what is owed on resuming never exceeds the pro-rated fee."""

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from fees.calculations import (
    SEED_000_RULES,
    SEED_004_RULES,
    Use,
    band_refund,
    heating_fee,
    resume_fee,
    temperature_refund,
)

# No deadline: this machine is slow and shared; the arithmetic is not what is being timed.
thorough = settings(deadline=None, max_examples=300)

areas = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100_000), places=2)
heights = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(30), places=2)
temperatures = st.decimals(min_value=Decimal(-30), max_value=Decimal(40), places=1)
prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(200), places=2)


@st.composite
def premises(draw):
    """Any combination the heating calculator accepts (relief is for homes only)."""
    use = draw(st.sampled_from(Use))
    garage = draw(st.booleans())
    relief = use is Use.RESIDENTIAL and not garage and draw(st.booleans())
    return {"use": use, "garage": garage, "suspended": draw(st.booleans()), "relief": relief}


def fee(area, height, case) -> Decimal:
    return heating_fee(
        area,
        case["use"],
        SEED_000_RULES,
        ceiling_height=height,
        garage=case["garage"],
        suspended=case["suspended"],
        relief=case["relief"],
    ).amount


@thorough
@given(areas, areas, st.one_of(st.none(), heights), premises())
def test_fee_never_decreases_when_the_area_increases(a, b, height, case):
    smaller, larger = sorted((a, b))
    assert fee(smaller, height, case) <= fee(larger, height, case)


@thorough
@given(areas, heights, heights, premises())
def test_fee_never_decreases_when_the_ceiling_rises(area, h1, h2, case):
    lower, higher = sorted((h1, h2))
    assert fee(area, lower, case) <= fee(area, higher, case)


def fee_for_days(price: Decimal, area: Decimal, days: int, season_days: int) -> Decimal:
    return (price * area * days / season_days).quantize(Decimal("0.01"), ROUND_HALF_UP)


@thorough
@given(
    prices,
    areas,
    st.lists(st.tuples(temperatures, st.integers(0, 40)), min_size=1, max_size=4),
)
def test_refund_never_exceeds_the_fee_for_the_refunded_days(price, area, readings):
    days = sum(d for _, d in readings)
    if days == 0 or days > SEED_004_RULES.season_days:
        return
    refund = temperature_refund(price, area, readings, SEED_004_RULES).amount
    assert Decimal(0) <= refund <= fee_for_days(price, area, days, SEED_004_RULES.season_days)


@thorough
@given(prices, areas, st.lists(st.integers(0, 40), min_size=3, max_size=3))
def test_band_refund_never_exceeds_the_fee_for_the_refunded_days(price, area, band_days):
    days = sum(band_days)
    if days == 0:
        return
    by_band = {band.rule: d for band, d in zip(SEED_004_RULES.bands, band_days, strict=True)}
    refund = band_refund(price, area, by_band, SEED_004_RULES).amount
    assert refund <= fee_for_days(price, area, days, SEED_004_RULES.season_days)


@thorough
@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1_000_000), places=2),
    st.integers(1, SEED_000_RULES.season_days),
)
def test_resuming_never_costs_more_than_the_prorated_fee(total, days):
    owed = resume_fee(total, days, SEED_000_RULES).amount
    prorated = fee_for_days(total, Decimal(1), days, SEED_000_RULES.season_days)
    assert Decimal(0) <= owed <= prorated
