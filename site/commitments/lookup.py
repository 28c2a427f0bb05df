"""Finding published commitments by their machine-readable keys, for features that enforce
them. Where a key is published on several pages, the first live page in the tree wins, then
the editor's order on that page."""

from collections.abc import Iterable

from commitments.models import Commitment


def published_commitments(keys: Iterable[str]) -> dict[str, Commitment]:
    """Key → its published commitment, for several keys in one query; keys not published are
    absent."""
    found: dict[str, Commitment] = {}
    for commitment in (
        Commitment.objects.filter(key__in=set(keys), page__live=True)
        .select_related("page")
        .order_by("page__path", "sort_order")
    ):
        found.setdefault(commitment.key, commitment)
    return found


def published_commitment(key: str) -> Commitment | None:
    return published_commitments([key]).get(key)
