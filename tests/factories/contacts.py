import itertools

from contacts.models import Community, Station

_sequence = itertools.count(1)


def make_station(**fields) -> Station:
    number = next(_sequence)
    defaults = {"name": f"测试换热站{number}", "phone": "0431-0000-9999"}
    return Station.objects.create(**{**defaults, **fields})


def make_community(station: Station | None = None, **fields) -> Community:
    number = next(_sequence)
    defaults = {
        "code": f"T-{number:05d}",
        "name": f"测试小区{number}",
        "district": "测试区",
        "station": station or Station.objects.order_by("pk").first(),
        "manager_name": "测试管理员",
        "manager_phone": "13900009999",
    }
    community = Community(**{**defaults, **fields})
    community.save()
    return community


def make_communities(count: int, station: Station | None = None) -> list[Community]:
    return [make_community(station=station) for _ in range(count)]
