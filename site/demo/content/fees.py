"""The demo company's fee rules for the 2026—2027 season: seed 000's prices, surcharges and
167-day season (长春), seed 003's 低保 relief of 4 元/㎡, and seed 004's low-temperature refund
bands and exclusions (曲阜聚源 热用户测温、退费管理规定 第三条)."""

from decimal import Decimal

CALCULATOR_PAGE = {
    "title": "热费计算",
    "slug": "fees",
    "search_description": "按公布的收费标准计算热费、恢复供热应缴金额和室温不达标退费，并列出计算过程。",
    "intro": "<p>热费、恢复供热和室温不达标退费都按本供热期公布的收费标准计算，每一步都注明依据。</p>",
    "catalogue": {
        "written_on": (2026, 8, 25),
        "genre": "guide",
        "keywords": "热费计算、恢复供热、室温不达标退费、计算依据",
    },
}

SEASON = {
    "title": "2026—2027供热期收费标准",
    "slug": "2026-2027",
    "starts_on": (2026, 10, 20),
    "ends_on": (2027, 4, 5),
    "season_days": 167,
    # Published before the 集中收费期 opens on 9月8日 (seed 002), as the 信息公开指南 promises.
    "catalogue": {
        "written_on": (2026, 8, 25),
        "keywords": "收费标准、居民27元/平方米、非居民31元/平方米、基本热费20%、低保减免、退费",
    },
    "residential_price": Decimal("27"),
    "non_residential_price": Decimal("31"),
    "high_ceiling_threshold": Decimal("3"),
    "high_ceiling_unit": Decimal("0.3"),
    "high_ceiling_unit_percent": Decimal("5"),
    "high_ceiling_cap_percent": Decimal("50"),
    "garage_percent": Decimal("50"),
    "garage_threshold": Decimal("4"),
    "garage_surcharge_percent": Decimal("5"),
    "basic_fee_percent": Decimal("20"),
    "relief_per_sqm": Decimal("4"),
    "refund_exclusions": "\n".join(
        (
            "擅自拆、改室内供热设施影响供热的；",
            "室内装修致使散热器无法正常散热的；",
            "不配合供热单位进行室内供热设施正常维修、维护的；",
            "发生极端气候超出供热设施设计规范确定的室外计算温度的；",
            "发生不可抗力事件，造成无法正常供热的。",
        )
    ),
}

# (lower ℃ inclusive or None, upper ℃ exclusive, percent of the daily fee, label)
REFUND_BANDS = [
    (Decimal(14), Decimal(16), Decimal(20), "在14—16℃之间"),
    (Decimal(10), Decimal(14), Decimal(50), "在10—14℃之间"),
    (None, Decimal(10), Decimal(100), "低于10℃"),
]

# rule topic → the FAQ question (by slug) that publishes it
RULE_SOURCES = {
    "residential-price": "residential-rate",
    "non-residential-price": "why-more-than-last-year",
    "high-ceiling": "high-ceiling-surcharge",
    "garage": "public-garage",
    "relief": "low-income-relief",
    "basic-fee": "online-basic-fee",
    "resume": "resume-during-season",
    "refund": "temperature-refund",
    "attic-area": "attic",
    "basement-area": "basement",
}
