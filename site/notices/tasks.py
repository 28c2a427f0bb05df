"""django-q2 tasks of the notices app (scheduled in config/schedules.py)."""

from notices.lifecycle.transitions import advance_by_clock


def advance_notices() -> int:
    """Every minute: 预告 → 进行中 at the start, → 已恢复 at the end. Idempotent."""
    return len(advance_by_clock())
