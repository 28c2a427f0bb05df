from datetime import date, datetime
from zoneinfo import ZoneInfo

from home.templatetags.heating_tags import cn_date, tel_href


def test_tel_href_keeps_only_digits_and_plus():
    assert tel_href("0431-0000 1234") == "tel:043100001234"
    assert tel_href("+86 139 0000 0001") == "tel:+8613900000001"
    assert tel_href("9612399") == "tel:9612399"


def test_chinese_dates_are_written_in_shanghai_time():
    assert cn_date(date(2026, 11, 15)) == "2026年11月15日"
    # 2026-11-14 20:30 UTC is already the 15th in Asia/Shanghai.
    assert cn_date(datetime(2026, 11, 14, 20, 30, tzinfo=ZoneInfo("UTC"))) == "2026年11月15日"
    assert cn_date(None) == ""
