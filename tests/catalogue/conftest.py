from contextlib import contextmanager

import pytest


@pytest.fixture
def commits_at_once(monkeypatch):
    """After-commit work runs at once, as it would after each commit outside a test (the
    catalogue syncs a page after the transaction that changed it; a test's never commits).
    `with commits_at_once():` holds it back to the end of the block, for an action that is
    one transaction of several steps (a deletion, whose rows go one table at a time)."""
    pending, deferred = [], []

    def on_commit(func, using=None, robust=False):
        if deferred:
            pending.append(func)
        else:
            func()

    monkeypatch.setattr("django.db.transaction.on_commit", on_commit)

    @contextmanager
    def one_transaction():
        deferred.append(True)
        try:
            yield
        finally:
            deferred.pop()
            while pending and not deferred:
                pending.pop(0)()

    return one_transaction
