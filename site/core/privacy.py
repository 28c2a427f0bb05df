"""Headers for pages about one resident, reached by an unguessable link (a service request's
tracking page, a subscriber's unsubscribe page)."""


def private(response):
    """No cache keeps the page, no search engine lists it, and its address (the token) is
    never sent to another site. `same-origin` rather than `no-referrer`: under `no-referrer`
    browsers send `Origin: null` with the page's own forms (rating, code, unsubscribe), which
    Django's CSRF check rightly refuses."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"
    return response
