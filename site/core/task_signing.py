"""django-q2's task signatures under a rotated `SECRET_KEY`.

django-q2 signs every queued task with `SECRET_KEY` (`django_q.signing.SignedPackage`) and
checks it against that key alone: a key changed while tasks wait in the queue makes every one of
them fail with `BadSignature`, logged and dropped (12 were lost in the attack run). Django's own
signatures (sessions, password-reset links) accept the keys in `SECRET_KEY_FALLBACKS` too; this
gives django-q2's the same rule: tasks are signed with `SECRET_KEY` and accepted under it or any
fallback. docs/deployment.md has the rotation procedure."""

from django_q import core_signing, signing
from django_q.conf import Conf

from core.secret_keys import secret_keys


def loads(package):
    """The task in `package`, if signed with SECRET_KEY or one of SECRET_KEY_FALLBACKS."""
    keys = secret_keys()
    for key in keys[:-1]:
        try:
            return _loads(package, key)
        except core_signing.BadSignature:
            continue
    return _loads(package, keys[-1])


def _loads(package, key: str):
    return core_signing.loads(
        package, key=key, salt=Conf.PREFIX, serializer=signing.PickleSerializer
    )


def honour_key_fallbacks() -> None:
    """Make django-q2 read tasks with `loads` (every caller goes through the class)."""
    signing.SignedPackage.loads = staticmethod(loads)
