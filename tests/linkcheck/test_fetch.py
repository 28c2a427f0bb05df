"""The external link check against a real server on 127.0.0.1: what each answer means, HEAD
then GET, politeness per host, the time budget, and the refusal of private addresses."""

import itertools

import pytest

from linkcheck.enums import Severity, Status
from linkcheck.fetch import Checker, Limits, is_public

USER_AGENT = "HeatingInfoLinkCheck/1.0 (+http://testserver/; test)"


def limits(**changes) -> Limits:
    values = {
        "timeout": 0.5,
        "host_rate": 100,
        "budget": 10,
        "concurrency": 4,
        "allow_private": True,
        "user_agent": USER_AGENT,
    }
    return Limits(**{**values, **changes})


def verdicts(web, *paths, **changes) -> dict:
    outcomes = Checker(limits(**changes)).check_all([web.url(path) for path in paths])
    return {outcome.url.split(str(web.port), 1)[1]: outcome for outcome in outcomes}


def test_each_answer_and_what_it_means(web):
    found = verdicts(web, "/ok", "/moved", "/temporary", "/gone", "/broken", "/forbidden", "/never")
    assert found["/ok"].verdict is None
    assert found["/temporary"].verdict is None  # a temporary redirect to a page that works
    moved = found["/moved"].verdict
    assert moved.status == Status.REDIRECTED and moved.severity == Severity.WARNING
    assert moved.suggestion == web.url("/ok") and moved.http_status == 200
    assert "永久迁移" in moved.detail
    gone = found["/gone"].verdict
    assert (gone.status, gone.http_status, gone.severity) == (
        Status.CLIENT_ERROR,
        404,
        Severity.ERROR,
    )
    assert "页面不存在" in gone.detail
    assert found["/broken"].verdict.status == Status.SERVER_ERROR
    assert found["/broken"].verdict.http_status == 500
    assert found["/forbidden"].verdict.status == Status.FORBIDDEN
    assert found["/forbidden"].verdict.severity == Severity.WARNING
    never = found["/never"].verdict
    assert never.status == Status.TIMEOUT and "0.5秒" in never.detail
    assert all(outcome.checked for outcome in found.values())


def test_head_first_then_get_when_head_is_refused(web):
    found = verdicts(web, "/head-refused", "/ok")
    assert found["/head-refused"].verdict is None
    assert [(hit.method, hit.path) for hit in web.hits] == [
        ("HEAD", "/head-refused"),
        ("GET", "/head-refused"),
        ("HEAD", "/ok"),
    ]
    assert {hit.user_agent for hit in web.hits} == {USER_AGENT}


def test_a_broken_link_is_tried_with_get_too_before_it_is_reported(web):
    assert verdicts(web, "/gone")["/gone"].verdict.status == Status.CLIENT_ERROR
    assert [hit.method for hit in web.hits] == ["HEAD", "GET"]


def test_redirect_loops_end(web):
    loop = verdicts(web, "/loop")["/loop"].verdict
    assert loop.status == Status.UNREACHABLE and "重定向" in loop.detail
    assert len(web.hits) == 6  # the first request and five redirects


def test_nobody_listening(web):
    web.stop()
    found = verdicts(web, "/ok")["/ok"].verdict
    assert found.status == Status.UNREACHABLE and "拒绝连接" in found.detail


def test_one_host_one_request_at_a_time_and_spaced(web):
    """Five links to one host, at most 5 requests a second: they arrive one after another,
    never overlapping, about 0.2 s apart (the server sees them with some jitter)."""
    verdicts(web, *(f"/ok?n={n}&slow=0.05" for n in range(5)), host_rate=5, concurrency=4)
    arrivals = [hit.arrived for hit in web.hits]
    assert len(arrivals) == 5
    assert web.server.most_in_flight == {"127.0.0.1": 1}
    assert all(hit.arrived >= before.left for before, hit in itertools.pairwise(web.hits))
    assert all(later - earlier >= 0.15 for earlier, later in itertools.pairwise(arrivals))
    assert arrivals[-1] - arrivals[0] >= 0.75  # four intervals of 0.2 s


def test_hosts_are_checked_side_by_side(web):
    """Two hosts (127.0.0.1 and localhost, the same server) at once, each on its own."""
    urls = [
        web.url(f"/ok?n={n}&slow=0.2", host) for host in ("127.0.0.1", "localhost") for n in (1, 2)
    ]
    outcomes = Checker(limits(concurrency=2)).check_all(urls)
    assert [outcome.verdict for outcome in outcomes] == [None] * 4
    assert web.server.most_in_flight == {"127.0.0.1": 1, "localhost": 1}
    by_host = {
        host: [hit for hit in web.hits if hit.host == host] for host in ("127.0.0.1", "localhost")
    }
    first, second = by_host["127.0.0.1"][0], by_host["localhost"][0]
    assert first.arrived < second.left and second.arrived < first.left  # at the same time


def test_the_budget_leaves_the_rest_for_the_next_run(web):
    outcomes = Checker(limits(budget=0.3, host_rate=5)).check_all(
        [web.url(f"/ok?n={n}") for n in range(5)]
    )
    checked = [outcome for outcome in outcomes if outcome.checked]
    assert 1 <= len(checked) <= 2  # 0.2 s apart: at most two starts in 0.3 s
    assert all(outcome.verdict is None for outcome in outcomes)
    assert len(web.hits) == len(checked)


def test_a_host_that_asks_us_to_slow_down_is_left_for_later(web):
    busy = verdicts(web, "/busy")["/busy"]
    assert busy.checked is False and busy.verdict is None


def test_private_addresses_are_refused_unless_allowed(web):
    refused = verdicts(web, "/ok", allow_private=False)["/ok"]
    assert refused.verdict.status == Status.PRIVATE
    assert refused.verdict.severity == Severity.WARNING
    assert "127.0.0.1" in refused.verdict.detail and "内网" in refused.verdict.detail
    assert web.hits == []  # nothing was sent


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),  # noqa: S104 - an address to refuse, not one to bind
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:10.0.0.1", False),
        ("224.0.0.1", False),
        ("202.108.22.5", True),
        ("2400:da00::6666", True),
    ],
)
def test_which_addresses_are_public(address, public):
    assert is_public(address) is public


def test_a_malformed_address_is_reported_not_fatal(web):
    outcomes = Checker(limits()).check_all(["http://127.0.0.1:99999/x", web.url("/ok")])
    assert outcomes[0].verdict.status == Status.UNREACHABLE
    assert "格式有误" in outcomes[0].verdict.detail
    assert outcomes[1].verdict is None
