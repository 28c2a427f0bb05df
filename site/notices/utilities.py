"""Everything the site says or draws about each utility, in one place.

The codes and labels are notices.enums.Utility; what each utility needs beyond them (the CAP
instruction, the SMS advice, the map colour) is one UtilityProfile in PROFILES. Adding a utility is
an enum member, its profile here and the migration of the choices (and, for its list cards, a
`.notice-<code>` rule in site.css; without it they get the neutral border). Every list, form,
feed, export and subscription reads the enum; a member without a profile stops the site at
import, and tests/notices/test_utilities.py checks the rest."""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from notices.enums import Utility


@dataclass(frozen=True)
class UtilityProfile:
    cap_instruction: Promise  # CAP <instruction> while the outage is scheduled or under way
    sms_advice: Promise  # the action in the text of a new or started outage
    colour: str  # the map's polygon (notices.maps.svg); the list's cards share it in site.css


PROFILES: dict[Utility, UtilityProfile] = {
    Utility.HEAT: UtilityProfile(
        cap_instruction=_("请提前做好室内保暖；恢复供热时请留意暖气有无漏水。"),
        sms_advice=_("请注意保暖。"),
        colour="#b42318",
    ),
    Utility.WATER: UtilityProfile(
        cap_instruction=_("请提前储水；恢复供水初期如水质浑浊，请放水片刻后再用。"),
        sms_advice=_("请提前储水。"),
        colour="#175cd3",
    ),
    Utility.GAS: UtilityProfile(
        cap_instruction=_("停气前请关闭燃气灶具和表前阀门；恢复供气后请按说明重新点火。"),
        sms_advice=_("请关闭燃气阀门。"),
        colour="#b54708",
    ),
    Utility.POWER: UtilityProfile(
        cap_instruction=_("请提前做好准备；停电期间请关闭大功率电器，注意用电安全。"),
        sms_advice=_("请做好准备。"),
        colour="#5925dc",
    ),
}

if missing := [member.value for member in Utility if member not in PROFILES]:
    raise ImproperlyConfigured(f"notices.utilities.PROFILES has no profile for {missing}")


def profile(utility: str) -> UtilityProfile:
    """The profile of a Utility value (a notice's `utility` field)."""
    return PROFILES[Utility(utility)]
