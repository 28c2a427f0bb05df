from wagtail import hooks

from commitments.models import CommitmentIndexPage, CommitmentPage
from core.disclosure import COLUMN_PAGES


@hooks.register(COLUMN_PAGES)
def commitments_column():
    """The disclosure column 服务承诺 shows the commitment pages (core.disclosure)."""
    return "commitments", [CommitmentIndexPage, CommitmentPage]
