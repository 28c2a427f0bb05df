"""The service desk's jobs in real django-q2 clusters (separate processes, the database queue,
the Aliyun backend talking to the local stand-in), not inline as in the other tests: the
cluster's scheduler runs the minute schedule `servicedesk-check-deadlines` (a reminder and an
escalation, e-mailed) and a closed request's ONCE schedule (the return call), and its workers
send the resident's texts, one of them queued twice. Then the cluster is stopped and another
started with everything queued again and the minute schedule due again, as a restart or a
redelivery would: nobody is alerted or texted twice.

The clusters' e-mail goes to Django's locmem backend, inside their processes: what was
e-mailed is read from the StaffAlert rows (sent, to how many addresses)."""

import pytest

from standins.aliyun_sms import AliyunSmsStandin
from tests.e2e.clusters import (
    KEY_ID,
    SECRET,
    cluster_env,
    database_url,
    run,
    start_cluster,
    stop_cluster,
    wait_for,
)

pytestmark = pytest.mark.clock

SCRIPT = "servicedesk_scenario.py"
# What each of the scenario's requests (by role) is due: a staff alert, a text to the resident.
ALERTS = {
    "reminder": "contact_reminder",
    "escalation": "contact_escalation",
    "closed": "return_visit",
}
TEXTS = {"receipt": "received", "closed": "closed"}
# How long a cluster may take to start, reach its scheduler's first round (30 s after its
# start) and finish what that queued, on a slow machine.
CLUSTER_TIMEOUT = 90


@pytest.fixture
def standin():
    with AliyunSmsStandin(KEY_ID, SECRET) as server:
        yield server


@pytest.fixture
def environment(db, tmp_path, standin):
    env = cluster_env(database_url(tmp_path), standin)
    yield env
    run(env, "cleanup", script=SCRIPT)


class Scenario:
    """The scenario's requests (role -> id) and the last status it reported."""

    def __init__(self, env, setup: dict):
        self.env, self.ids, self.phones = env, setup["requests"], setup["phones"]
        self.state: dict = {}

    def status(self) -> dict:
        self.state = run(self.env, "status", script=SCRIPT)
        return self.state

    def request(self, role: str) -> dict:
        return self.state["requests"][str(self.ids[role])]

    def alerted(self) -> bool:
        """Every alert raised and e-mailed, the texts sent, the queue empty (the duplicate
        receipt task has run too)."""
        self.status()
        return (
            all(
                self.request(role)["alerts"].get(kind, {}).get("sent_at")
                for role, kind in ALERTS.items()
            )
            and all(self.request(role)["texts"].get(kind) for role, kind in TEXTS.items())
            and self.state["queued"] == 0
        )

    def run_cluster(self, until, what: str) -> None:
        """A cluster of its own until `until()` holds (or the time is up), then stopped."""
        cluster = start_cluster(self.env)
        try:
            assert wait_for(until, timeout=CLUSTER_TIMEOUT, interval=1), f"{what}: {self.state}"
        finally:
            stop_cluster(cluster)

    def ran_again(self, runs_before: int) -> bool:
        self.status()
        runs = self.state["check_deadlines"]
        return runs["runs"] > runs_before and not runs["due"] and self.state["queued"] == 0


def texts_per_phone(standin, scenario: Scenario) -> dict[str, int]:
    return {role: len(standin.sent_to(phone)) for role, phone in scenario.phones.items()}


def test_reminders_escalation_return_call_and_texts_go_out_once_from_real_clusters(
    environment, standin
):
    scenario = Scenario(environment, run(environment, "setup", script=SCRIPT))
    assert standin.message_count == 0  # queued, not sent: no cluster is running yet

    scenario.run_cluster(scenario.alerted, "the first cluster did not raise and send everything")
    first = scenario.state
    assert first["failures"] == []
    # The unowned request's station staff (one) are reminded; its supervisor as well is told
    # of the escalation; the closed request's owner of the return call.
    assert scenario.request("reminder")["alerts"]["contact_reminder"]["recipients"] == 1
    assert scenario.request("escalation")["alerts"]["contact_escalation"]["recipients"] == 2
    assert scenario.request("closed")["alerts"]["return_visit"]["recipients"] == 1
    assert {role: list(scenario.request(role)["alerts"]) for role in scenario.ids} == {
        role: [ALERTS[role]] if role in ALERTS else [] for role in scenario.ids
    }
    assert {role: scenario.request(role)["events"] for role in scenario.ids} == {
        "reminder": {"reminded": 1},
        "escalation": {"escalated": 1},
        "closed": {"taken": 1, "closed": 1, "reminded": 1},
        "receipt": {},
    }
    assert [role for role in scenario.ids if scenario.request(role)["escalated"]] == ["escalation"]
    assert {role: scenario.request(role)["texts"] for role in scenario.ids} == {
        role: {TEXTS[role]: True} if role in TEXTS else {} for role in scenario.ids
    }
    # Each text reached the provider once: the receipt's duplicate task sent nothing.
    expected_texts = {role: int(role in TEXTS) for role in scenario.ids}
    assert texts_per_phone(standin, scenario) == expected_texts
    assert first["check_deadlines"]["runs"] >= 1
    assert first["return_call"] == {"runs": 1, "pending": False}

    # A restart: the texts and the return call's task come back, the minute schedule is due.
    redelivered = run(environment, "redeliver", script=SCRIPT)
    assert redelivered["queued"] >= 3
    assert redelivered["check_deadlines"]["due"]
    runs_before = redelivered["check_deadlines"]["runs"]
    scenario.run_cluster(
        lambda: scenario.ran_again(runs_before),
        "the second cluster did not run the minute schedule again",
    )

    assert scenario.state["failures"] == []
    assert scenario.state["return_call"] == {"runs": 1, "pending": False}
    # Nothing new: the same alerts sent at the same times, no new event, no text twice.
    assert scenario.state["requests"] == first["requests"]
    assert texts_per_phone(standin, scenario) == expected_texts
    assert standin.message_count == 2
