"""The number's budget of codes says when the next one may be texted (`Retry-After`), and a
code is read as typed by Chinese input methods."""

import pytest

from sms.forms import VerifyForm
from sms.models import VerificationCode
from sms.verification import CODE_BUDGET, CodeBudgetSpent, code_wait, issue_code, typed_code

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
PHONE = "13900007777"


def test_the_wait_is_until_the_budget_allows_the_next_code(clock):
    assert CODE_BUDGET == ((1, 60), (5, 86400))
    assert code_wait(PHONE) == 0
    issue_code(PHONE, "test", "测试")
    assert 59 <= code_wait(PHONE) <= 60
    clock.shift(30)
    assert 29 <= code_wait(PHONE) <= 30
    clock.shift(31)
    assert code_wait(PHONE) == 0
    for _ in range(4):  # five codes in all, a minute and a second apart
        issue_code(PHONE, "test", "测试")
        clock.shift(61)
    # The minute is over, the day is not: the wait ends when the first code leaves the day.
    assert 86400 - 5 * 61 - 1 <= code_wait(PHONE) <= 86400 - 5 * 61
    clock.shift(86400 - 5 * 61)
    assert code_wait(PHONE) == 0
    assert code_wait("13900008888") == 0  # per number
    assert VerificationCode.objects.filter(phone=PHONE).count() == 5


def test_issuing_checks_the_budget_itself(outbox, django_capture_on_commit_callbacks):
    """Callers do not check first: issue_code checks and spends the budget in one step (under
    a lock per number, tests/core/test_ratelimit_exact.py races it), and refuses with the wait."""
    with django_capture_on_commit_callbacks(execute=True):
        issue_code(PHONE, "test", "测试")
        with pytest.raises(CodeBudgetSpent) as spent:
            issue_code(PHONE, "other", "测试")
    assert 59 <= spent.value.retry_after <= 60
    assert VerificationCode.objects.filter(phone=PHONE).count() == 1
    assert len(outbox) == 1


@pytest.mark.parametrize(
    ("typed", "code"),
    [("１２３４５６", "123456"), ("123 456", "123456"), (" １２３ ４５６ ", "123456")],
)
def test_full_width_digits_and_spaces_are_the_code(typed, code):
    assert typed_code(typed) == code
    form = VerifyForm({"code": typed})
    assert form.is_valid() and form.cleaned_data["code"] == code


@pytest.mark.parametrize("typed", ["١٢٣٤٥٦", "१२३४५६", "12345", "1234567", "12345a"])
def test_anything_but_six_ascii_digits_is_refused_by_the_form(typed):
    form = VerifyForm({"code": typed})
    assert not form.is_valid() and form.errors["code"] == ["验证码是6位数字。"]
