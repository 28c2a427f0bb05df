"""The keys a signature or keyed hash of this site may have been made with: `SECRET_KEY`, then
each key of `SECRET_KEY_FALLBACKS` (a key being rotated out, docs/deployment.md). New ones are
always made with `SECRET_KEY`; what was made before a rotation is checked against them all."""

from django.conf import settings


def secret_keys() -> list[str]:
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
