"""Every public page type renders the seed content in Chinese, with phones as tel: links."""

import json
import re

import pytest

from contacts.models import Community

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_home_page_shows_company_sections_and_hotlines_as_tel_links(client):
    body = get(client, "/")
    assert '<html lang="zh-Hans">' in body
    assert "春城热力集团" in body
    for number in ("9612399", "96609", "12319", "12345"):
        assert f'href="tel:{number}"' in body
    for title, url in (
        ("服务承诺", "/commitments/"),
        ("常见问题", "/faq/"),
        ("联系名录", "/directory/"),
    ):
        assert f'href="{url}"' in body and title in body
    assert "本供热期：2026年10月20日至2027年4月5日，共167天。" in body
    assert 'class="skip-link" href="#main"' in body


def test_commitment_index_lists_the_published_standards(client):
    body = get(client, "/commitments/")
    for title in ("服务标准与业务办理时限", "社会服务承诺制度", "供热期服务承诺"):
        assert title in body


def test_commitment_page_is_an_accessible_table_of_the_seed_rows(client):
    body = get(client, "/commitments/service-standard/")
    assert body.count('<th scope="row" role="rowheader">') == 20
    assert "<caption" in body and '<th scope="col" role="columnheader">时限</th>' in body
    assert '<td class="limit" role="cell" data-label="时限">7个工作日内</td>' in body
    assert '<td class="limit" role="cell" data-label="时限">即时</td>' in body
    assert "15分钟内与客户联系，40分钟内到达现场处理。" in body
    assert 'id="indoor-leak"' in body
    assert "应急抢修类" in body and "11月15日至次年3月15日" in body and "共120天" in body


def test_commitment_page_shows_the_promised_temperature(client):
    body = get(client, "/commitments/season-promise/")
    assert "21℃" in body and "达标率98%" in body and "25分钟内" in body
    body = get(client, "/commitments/social-service-commitment/")
    assert "计划停热检修时提前48小时告知用户。" in body and "18℃" in body


def _json_ld(body: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    return json.loads(match.group(1))


def test_faq_index_has_every_question_anchored_and_faqpage_json_ld(client):
    body = get(client, "/faq/")
    assert "今年交的怎么比去年多？" in body
    assert "民用27元/平方米，商用31元/平方米" in body
    assert "15.50元" in body
    data = _json_ld(body)
    assert data["@type"] == "FAQPage"
    names = [item["name"] for item in data["mainEntity"]]
    assert "今年交的怎么比去年多？" in names and len(names) == 17
    first = data["mainEntity"][0]
    assert (
        first["acceptedAnswer"]["@type"] == "Answer"
        and "<p>" not in first["acceptedAnswer"]["text"]
    )
    assert re.search(r'<article class="qa" id="q-\d+"', body)


def test_faq_category_filter(client):
    body = get(client, "/faq/?category=invoice")
    assert "在线交完费，想要发票怎么办？" in body
    assert "今年交的怎么比去年多？" not in body
    assert len(_json_ld(body)["mainEntity"]) == 1
    # An unknown category shows everything rather than an empty page.
    assert "今年交的怎么比去年多？" in get(client, "/faq/?category=<script>")


def test_question_has_its_own_page(client):
    body = get(client, "/faq/why-more-than-last-year/")
    assert "<h1>今年交的怎么比去年多？</h1>" in body
    assert _json_ld(body)["mainEntity"][0]["name"] == "今年交的怎么比去年多？"


def test_json_ld_cannot_break_out_of_its_script_element(client, home):
    from faq.models import FAQIndexPage
    from tests.factories.pages import make_question

    make_question(
        FAQIndexPage.objects.get(), title="</script><script>alert(1)</script>", slug="xss"
    )
    body = get(client, "/faq/xss/")
    assert "</script><script>alert(1)" not in body
    assert _json_ld(body)["mainEntity"][0]["name"] == "</script><script>alert(1)</script>"


def test_directory_groups_communities_by_district_and_station(client):
    body = get(client, "/directory/")
    assert "绿园区" in body and "第一供热所" in body
    links = re.findall(r'<li><a href="/directory/[A-Z]+-\d+/">', body)
    assert len(links) == Community.objects.count() >= 520
    assert 'href="/directory/LY-0001/">星宇小区</a>' in body
    assert "犁铧春秋安置房热力站" in body and "绿园供热分公司" in body


@pytest.mark.parametrize("query", ["xy", "星宇", "xingyu"])
def test_directory_search_by_name_or_pinyin_initials(client, query):
    body = get(client, f"/directory/?q={query}")
    assert 'href="/directory/LY-0001/">星宇小区</a>' in body
    assert 'href="/directory/KC-0001/"' not in body


def test_directory_filter_by_district_and_no_result_message(client):
    body = get(client, "/directory/?district=宽城区")
    assert "铁路小区" in body and "星宇小区" not in body
    assert "没有找到相符的小区" in get(client, "/directory/?q=不存在的小区名")


def test_community_page_shows_whom_to_call(client):
    body = get(client, "/directory/KC-0001/")
    assert "<h1>铁路小区</h1>" in body
    assert "第五供热所" in body and "奎文嘉苑热力站" in body
    assert 'href="tel:043100000510"' in body  # the station
    assert "供热户数：1007户" in body
    assert client.get("/directory/NO-SUCH/").status_code == 404


def test_user_input_is_escaped(client):
    body = get(client, '/directory/?q="><script>alert(1)</script>')
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_unknown_page_gets_a_chinese_404_with_the_hotlines(client):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and 'href="tel:9612399"' in body
