"""The disclosure columns (信息公开栏目) gather pages of several apps; the feeds that serve them
(notices.channels.feeds, which holds the columns' keys and titles, the portal's contract) import
none of those apps. An app adds its page types to a column with a Wagtail hook in its
wagtail_hooks.py: `hooks.register(COLUMN_PAGES, provider)`, provider() returning
(column key, [page models])."""

COLUMN_PAGES = "disclosure_column_pages"
