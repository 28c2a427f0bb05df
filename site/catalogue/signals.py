"""What the catalogue announces, for other apps (content rules) to act on: sent once the change
is committed, with the number of the `CatalogueChange`. Args: change_id."""

from django.dispatch import Signal

catalogue_changed = Signal()
