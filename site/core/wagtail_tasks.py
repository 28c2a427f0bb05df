"""Wagtail's own background tasks (django-tasks: the search index and the reference index of
every saved page or snippet) run inline, as Wagtail's default backend runs them, except inside
`held_back()`: there they are collected, each once, and run when the block ends.

An import saves a page several times in one transaction (the page, then its revision); with the
default backend each save indexed the whole body again inside that transaction, holding the
database's write lock for the segmentation of a 20,000-article regulation three times over
(about 100 s). Held back, the transaction holds only the inserts, and the page is indexed once
afterwards, each index write a short transaction of its own."""

import contextlib
import contextvars

from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

_held: contextvars.ContextVar[dict | None] = contextvars.ContextVar("held_tasks", default=None)


class ImmediateUnlessHeldBackend(ImmediateBackend):
    def enqueue(self, task, args, kwargs):
        held = _held.get()
        if held is None:
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        held.setdefault((task.module_path, repr(args), repr(kwargs)), (task, args, kwargs))
        return TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )


@contextlib.contextmanager
def held_back():
    """Run the tasks queued inside the block once it has ended without an exception (dropped
    if it raised: what they would index was rolled back)."""
    held: dict = {}
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
    for task, args, kwargs in held.values():
        task.enqueue(*args, **kwargs)
