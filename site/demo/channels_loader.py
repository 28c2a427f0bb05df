"""Loads the demo's 管家群 robots and press contacts (demo.content.channels).

Kept apart from demo.loader.load_demo, which the test suite loads once per run: with robots or
press contacts in every test database, every test publishing a major notice would also post
and e-mail. Idempotent: robots are found by their key, contacts by their address."""

from django.db import transaction

from alerts.models import GroupRobot, PressContact
from contacts.models import Community
from demo.content import channels as content


@transaction.atomic
def load_channel_demo() -> dict[str, int]:
    communities = Community.objects.in_bulk({code for code, _ in content.ROBOTS}, field_name="code")
    for code, building in content.ROBOTS:
        community = communities[code]
        GroupRobot.objects.get_or_create(
            webhook_key=f"demo-{code.lower()}-{building.removesuffix('号楼')}",
            defaults={
                "name": f"{community.name}{building}供热管家群",
                "community": community,
                "building": building,
            },
        )
    for outlet, person, email in content.PRESS:
        PressContact.objects.get_or_create(
            email=email, defaults={"outlet": outlet, "person": person}
        )
    return {"robots": GroupRobot.objects.count(), "press_contacts": PressContact.objects.count()}
