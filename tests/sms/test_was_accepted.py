"""After a crash between the provider call and recording its result, the dispatcher asks the
backend whether the call tagged `out_id` was accepted for a number. Every backend answers from
its own record: the file backend from its JSONL output, the console backend from the journal
beside what it prints, locmem from its outbox (Aliyun from QuerySendDetails:
tests/sms/test_sms_backends.py). None only when that record cannot be read."""

import datetime
import io
import json
import multiprocessing

import pytest
from django.test import override_settings

from sms import SmsContent, TransientSmsError
from sms.backends import journal, locmem
from sms.backends.console import ConsoleBackend
from sms.backends.file import FileBackend
from sms.backends.locmem import LocmemBackend

NUMBERS = [f"139{i:08d}" for i in range(1000)]
CONTENT = SmsContent("SMS_0001", {"area": "星宇小区"}, "【春城热力】星宇小区明日停热。")
TODAY = datetime.date(2026, 12, 1)  # local backends do not need the day: an out_id is one call


@pytest.fixture(params=["file", "console"])
def local_backend(request, tmp_path):
    """A backend keeping its record in a file, and that file."""
    if request.param == "file":
        path = tmp_path / "sms.jsonl"
        return FileBackend(path=path), path
    path = tmp_path / "sms-console.jsonl"
    return ConsoleBackend(stream=io.StringIO(), journal=path), path


def test_a_call_it_accepted_is_found_for_each_of_its_numbers(local_backend):
    backend, _ = local_backend
    backend.send(NUMBERS[:1000], CONTENT, out_id="call-1")
    backend.send(NUMBERS[:3], CONTENT, out_id="call-2")
    assert all(backend.was_accepted(number, "call-1", TODAY) for number in NUMBERS[:1000])
    assert backend.was_accepted(NUMBERS[2], "call-2", TODAY) is True


def test_a_call_it_did_not_accept_is_not_found(local_backend):
    backend, _ = local_backend
    assert backend.was_accepted(NUMBERS[0], "call-1", TODAY) is False  # no file yet
    backend.send(NUMBERS[:3], CONTENT, out_id="call-1")
    assert backend.was_accepted(NUMBERS[0], "call-2", TODAY) is False  # another call
    assert backend.was_accepted(NUMBERS[3], "call-1", TODAY) is False  # not in the call
    # An out_id that is a prefix of another's is not that call.
    assert backend.was_accepted(NUMBERS[0], "call-", TODAY) is False


def test_its_record_holds_no_number_in_clear(local_backend):
    backend, path = local_backend
    backend.send(NUMBERS[:50], CONTENT, out_id="call-1")
    text = path.read_text(encoding="utf-8")
    assert not any(number in text for number in NUMBERS[:50])
    assert not any(number[3:] in text for number in NUMBERS[:50])  # not even the last 8 digits


def test_an_unreadable_record_is_no_answer(local_backend):
    backend, path = local_backend
    backend.send(NUMBERS[:3], CONTENT, out_id="call-1")
    path.unlink()
    path.mkdir()  # unreadable as a file, for root too (which ignores file modes)
    assert backend.was_accepted(NUMBERS[0], "call-1", TODAY) is None


def crash_mid_write(path, backend, numbers, out_id):
    """What a process killed while writing the call's line leaves: the line cut short."""
    backend.send(numbers, CONTENT, out_id=out_id)
    whole = path.read_bytes()
    last_line_start = whole.rstrip(b"\n").rfind(b"\n") + 1
    cut = last_line_start + (len(whole) - last_line_start) // 2
    path.write_bytes(whole[:cut])


def test_a_call_whose_line_a_crash_cut_short_was_not_accepted(local_backend):
    backend, path = local_backend
    backend.send(NUMBERS[:5], CONTENT, out_id="call-1")
    crash_mid_write(path, backend, NUMBERS[5:10], "call-2")
    assert json.dumps("call-2") in path.read_text(encoding="utf-8")  # its out_id was written
    assert backend.was_accepted(NUMBERS[5], "call-2", TODAY) is False
    assert backend.was_accepted(NUMBERS[0], "call-1", TODAY) is True  # the line before stands


def test_a_cut_line_of_another_call_does_not_hide_an_accepted_one(local_backend):
    backend, path = local_backend
    backend.send(NUMBERS[:5], CONTENT, out_id="call-1")
    crash_mid_write(path, backend, NUMBERS[5:10], "call-2")
    assert backend.was_accepted(NUMBERS[0], "call-1", TODAY) is True
    # The next call after the crash starts a line of its own: the cut line stays alone, not
    # glued to the new record.
    backend.send(NUMBERS[5:10], CONTENT, out_id="call-3")
    assert backend.was_accepted(NUMBERS[5], "call-3", TODAY) is True
    assert backend.was_accepted(NUMBERS[5], "call-2", TODAY) is False
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""
    assert [json.loads(line)["out_id"] for line in (lines[0], lines[2])] == ["call-1", "call-3"]


def test_rotating_the_secret_key_keeps_the_answers(local_backend, settings):
    backend, _ = local_backend
    settings.SECRET_KEY = "the-old-key"
    backend.send(NUMBERS[:3], CONTENT, out_id="call-1")
    with override_settings(SECRET_KEY="the-new-key", SECRET_KEY_FALLBACKS=["the-old-key"]):
        assert backend.was_accepted(NUMBERS[1], "call-1", TODAY) is True
    with override_settings(SECRET_KEY="the-new-key", SECRET_KEY_FALLBACKS=[]):
        assert backend.was_accepted(NUMBERS[1], "call-1", TODAY) is False  # says nothing more


def test_the_console_journal_is_kept_in_the_var_dir_by_default(tmp_path, capsys):
    with override_settings(VAR_DIR=tmp_path):
        backend = ConsoleBackend()
        backend.send(NUMBERS[:2], CONTENT, out_id="call-1")
    assert backend.journal == tmp_path / "sms-console.jsonl"
    assert backend.was_accepted(NUMBERS[1], "call-1", TODAY) is True
    assert "139****0001" in capsys.readouterr().out


def _append_calls(path: str, worker: int, calls: int) -> None:
    backend = FileBackend(path=path)
    for call in range(calls):
        backend.send(NUMBERS, CONTENT, out_id=f"worker-{worker}-{call}")


def test_workers_in_several_processes_append_whole_lines(tmp_path):
    """A cluster's workers are processes: each line (about 45 KB for 1,000 numbers, more than
    one buffered write) must land whole, never interleaved with another's."""
    path = tmp_path / "sms.jsonl"
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_append_calls, args=(str(path), worker, 15)) for worker in range(4)
    ]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=60)
        assert process.exitcode == 0
    lines = path.read_bytes().splitlines()
    assert len(lines) == 60
    assert all(len(json.loads(line)["number_keys"]) == 1000 for line in lines)
    backend = FileBackend(path=path)
    assert backend.was_accepted(NUMBERS[999], "worker-3-14", TODAY) is True


def test_locmem_answers_from_its_outbox(outbox):
    backend = LocmemBackend()
    locmem.fail_next(TransientSmsError("超时"))
    with pytest.raises(TransientSmsError):
        backend.send(NUMBERS[:2], CONTENT, out_id="call-1")
    assert backend.was_accepted(NUMBERS[0], "call-1", TODAY) is False  # failed: not accepted
    backend.send(NUMBERS[:2], CONTENT, out_id="call-2")
    assert backend.was_accepted(NUMBERS[0], "call-2", TODAY) is True
    assert backend.was_accepted(NUMBERS[2], "call-2", TODAY) is False


def test_a_number_key_depends_on_the_secret_key():
    assert journal.number_key(NUMBERS[0], "a") != journal.number_key(NUMBERS[0], "b")
    assert journal.number_key(NUMBERS[0], "a") != journal.number_key(NUMBERS[1], "a")
    assert len(journal.number_key(NUMBERS[0])) == journal.KEY_LENGTH
