"""What the check says about one link target: nothing (it works), or a `Verdict` with its
status, severity and a Chinese explanation that tells the editor what to do."""

from dataclasses import dataclass

from linkcheck.enums import Severity, Status

# The problems readers do not meet (yet): the link works, but should be changed.
WARNINGS = {Status.HARD_CODED, Status.REDIRECTED, Status.FORBIDDEN, Status.PRIVATE}


@dataclass(frozen=True)
class Verdict:
    status: str  # Status
    detail: str
    suggestion: str = ""  # the address to link to instead
    http_status: int | None = None
    target_page_id: int | None = None
    severity: str = ""  # Severity; by default from the status

    def __post_init__(self):
        if not self.severity:
            default = Severity.WARNING if self.status in WARNINGS else Severity.ERROR
            object.__setattr__(self, "severity", default)
