"""URL converters for every app's URL conf, registered by CoreConfig.ready()."""

# The largest id a database here can hold (a signed 64-bit integer). A larger number in a URL
# would reach the database and fail there (OverflowError): 500 instead of 404.
MAX_ID = 2**63 - 1


class IdConverter:
    """`<id:name>`: a database id, 1 to MAX_ID; any other number does not match, so the URL is
    a 404. Use it for every id in a URL, never `<int:...>`."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError(value)  # Django's "does not match"
        return number

    def to_url(self, value) -> str:
        return str(value)
