from django.db import models


class RateCounter(models.Model):
    """Attempts in one fixed window for one scope and client (`core.ratelimit`). Counted in the
    database, in one atomic statement per attempt, on every deployment profile: a cache's
    add/incr is neither exact across processes nor sure to keep the window (Django's file cache
    gives the key its default 300 s again on each incr). The key is hashed: a phone number or an
    address never appears here in clear."""

    scope_key = models.CharField(max_length=100, unique=True)
    window_end = models.BigIntegerField(help_text="Unix time at which the counted window ends.")
    hits = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.scope_key}: {self.hits}"
