"""What the catalogue announces to the rooms above it, which it does not import.

`item_recorded` is sent with every change `catalogue.changes` records (an item created, updated
or withdrawn), inside the transaction that records it, once the item's row holds its new
snapshot. Arguments: `item` (the CatalogueItem) and `page` (the page as it is now, specific;
None once deleted). The collections listen: a saved query's cached responses must be dropped
when an item it can hold is recorded, not before, since they are rendered from the records.

`catalogue_changed` is sent for the same change once its transaction has committed, for work
that must see it done (content rules act on it). Argument: `change_id` (the CatalogueChange)."""

from django.dispatch import Signal

item_recorded = Signal()
catalogue_changed = Signal()
