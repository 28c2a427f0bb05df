"""Every way a notice leaves the site for machines, each rendered from the same notice and its
latest update: RSS/Atom (`feeds`), CAP 1.2 (`cap`), iCalendar (`calendar`) and JSON (`api`),
all with conditional GET. The contract for the disclosure portal is docs/feeds.md."""
