"""Finding a published commitment by its machine-readable key, for features that enforce it."""

from commitments.models import Commitment


def published_commitment(key: str) -> Commitment | None:
    return (
        Commitment.objects.filter(key=key, page__live=True)
        .select_related("page")
        .order_by("page__path", "sort_order")
        .first()
    )
