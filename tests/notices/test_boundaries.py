"""Boundary clauses of outage notices, starting with the four water notices of seed 000."""

import pytest

from notices.boundaries import Boundaries, extract_boundary_text, parse_boundaries

SEED_NOTICES = [
    (
        "因泵站计划性清洗水箱影响:10月13日8:00—14日7:00 长春市绿园区星宇东泵站(南至皓月大路,北至西安大路,西至翔运街,东至铁路)停水,望广大用户周知并做好储水准备。",
        "南至皓月大路,北至西安大路,西至翔运街,东至铁路",
        Boundaries(south="皓月大路", north="西安大路", west="翔运街", east="铁路"),
    ),
    (
        "因泵站计划性清洗水箱影响:10月13日9:00—14日8:00 长春市绿园区安居三期泵站、万鑫小区泵站(南至景阳大路,北至锦西路,西至和平大街,东至春城大街)停水,望广大用户周知并做好储水准备。",
        "南至景阳大路,北至锦西路,西至和平大街,东至春城大街",
        Boundaries(south="景阳大路", north="锦西路", west="和平大街", east="春城大街"),
    ),
    (
        "因泵站计划性清洗水箱影响:10月13日9:00—14日9:00 长春市绿园区辽阳街泵站(南至皓月大路,北至西安大路,西至升阳街,东至普阳街)停水,望广大用户周知并做好储水准备。",
        "南至皓月大路,北至西安大路,西至升阳街,东至普阳街",
        Boundaries(south="皓月大路", north="西安大路", west="升阳街", east="普阳街"),
    ),
    (
        "因泵站计划性清洗水箱影响:10月13日9:00—14日8:00 长春市绿园区城西泵站(南至隆化路,北至迎宾路两侧,西至西四环路,东至西环城路)停水,望广大用户周知并做好储水准备。/记者王春胜报道",
        "南至隆化路,北至迎宾路两侧,西至西四环路,东至西环城路",
        Boundaries(south="隆化路", north="迎宾路两侧", west="西四环路", east="西环城路"),
    ),
]
STAR = Boundaries(south="皓月大路", north="西安大路", west="翔运街", east="铁路")


@pytest.mark.parametrize(("notice", "clause", "expected"), SEED_NOTICES)
def test_seed_notices_are_extracted_and_parsed(notice, clause, expected):
    assert extract_boundary_text(notice) == clause
    parsed = parse_boundaries(clause)
    assert parsed == expected
    assert parsed.warnings == []


@pytest.mark.parametrize(("notice", "clause", "expected"), SEED_NOTICES)
def test_a_whole_pasted_notice_parses_its_boundary_clause(notice, clause, expected):
    parsed = parse_boundaries(notice)
    assert parsed == expected
    assert parsed.warnings == []


def test_seed_clause_with_its_parentheses_parses_the_same():
    assert parse_boundaries("(南至皓月大路,北至西安大路,西至翔运街,东至铁路)") == STAR


def test_parentheses_inside_a_side_stay_in_it():
    parsed = parse_boundaries("南至皓月大路(不含),东至铁路.")
    assert parsed == Boundaries(south="皓月大路(不含)", east="铁路")


@pytest.mark.parametrize(
    "text",
    [
        "南至皓月大路，北至西安大路，西至翔运街，东至铁路",
        "（南至皓月大路，北至西安大路，西至翔运街，东至铁路）",
        "（南至皓月大路,北至西安大路,西至翔运街,东至铁路)",
        "  (南至皓月大路、北至西安大路；西至翔运街;东至铁路)。 ",
        "南至皓月大路 北至西安大路\u3000西至翔运街  东至铁路。",
        "南至 皓月大路，北至 西安大路，西至 翔运街，东至 铁路",
        "南到皓月大路，北到西安大路，西到翔运街，东到铁路",
        "皓月大路以北、西安大路以南、翔运街以东、铁路以西",
    ],
)
def test_separators_parentheses_and_wordings(text):
    parsed = parse_boundaries(text)
    assert parsed == STAR
    assert parsed.warnings == []


def test_sides_in_any_order():
    assert parse_boundaries("东至铁路，西至翔运街，北至西安大路，南至皓月大路") == STAR


def test_missing_sides_are_empty_and_left_out_of_the_text():
    parsed = parse_boundaries("北至迎宾路两侧，东至西环城路")
    assert parsed == Boundaries(north="迎宾路两侧", east="西环城路")
    assert parsed.south == parsed.west == ""
    assert parsed.text == "北至迎宾路两侧，东至西环城路"
    assert not parsed.is_empty


def test_liangce_stays_part_of_the_road():
    assert parse_boundaries("北至迎宾路两侧").north == "迎宾路两侧"


def test_a_repeated_side_keeps_the_first_and_warns():
    parsed = parse_boundaries("南至皓月大路，北至西安大路，南至景阳大路，西至翔运街，东至铁路")
    assert parsed.south == "皓月大路"
    assert parsed.duplicates == ("south",)
    assert parsed.warnings == ["南至出现两次，已使用第一处"]


def test_a_side_three_times_says_so():
    parsed = parse_boundaries("东至铁路，东至普阳街，东到春城大街")
    assert parsed.east == "铁路"
    assert parsed.warnings == ["东至出现3次，已使用第一处"]


def test_unreadable_clause_next_to_sides_is_reported():
    parsed = parse_boundaries("南至皓月大路，铁路小区，东至铁路")
    assert parsed == Boundaries(south="皓月大路", east="铁路", unrecognized=("铁路小区",))
    assert parsed.warnings == ["无法识别“铁路小区”，已忽略"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "（）",
        "长春市绿园区星宇东泵站",
        "铁路小区的14栋楼,1007户民用户及利升伟业1户工商业用户",
        "南至",
    ],
)
def test_text_that_is_not_a_boundary_is_all_empty(text):
    parsed = parse_boundaries(text)
    assert parsed == Boundaries()
    assert parsed.is_empty
    assert parsed.text == ""
    assert parsed.warnings == []


def test_notice_without_a_boundary_clause_extracts_nothing():
    gas = (
        "长春燃气股份有限公司(以下简称长春燃气)在长春市黄河路与东八条交会处进行的燃气管网改造工程,"
        "需停气进行施工,停气时间为2017年10月14日至2017年10月21日。"
    )
    assert extract_boundary_text(gas) is None
    assert extract_boundary_text("") is None


def test_extraction_skips_parentheses_that_are_not_a_boundary():
    notice = "长春燃气(以下简称长春燃气)铁路小区（南至皓月大路，东至铁路）停气。"
    assert extract_boundary_text(notice) == "南至皓月大路，东至铁路"


def test_canonical_text_order_and_round_trip():
    parsed = parse_boundaries("东至西环城路,西至西四环路,北至迎宾路两侧,南至隆化路")
    assert parsed.text == "南至隆化路，北至迎宾路两侧，西至西四环路，东至西环城路"
    assert parse_boundaries(parsed.text) == parsed


def test_boundaries_are_frozen():
    with pytest.raises(AttributeError):
        STAR.south = "隆化路"
