"""Who sees which request: the staff of the station that serves the community (StationDesk's
group), and the supervisors (审核, permission supervise_servicerequest) who see them all."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _

from contacts.models import Community, Station
from core.people import holders_of
from servicedesk.enums import RequestStatus
from servicedesk.models import ServiceRequest, StationDesk

SUPERVISE = "servicedesk.supervise_servicerequest"
HANDLE = "servicedesk.handle_servicerequest"
DESK_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("servicedesk", "handle_servicerequest"),
]


def station_for(community: Community) -> Station:
    """The station that serves the community: the directory is the routing table."""
    return community.station


def desk_group_name(station: Station) -> str:
    return _("服务台：%(station)s") % {"station": station.name}


@transaction.atomic
def ensure_desk(station: Station) -> StationDesk:
    """The station's service team group, created with the permissions to use the desk, and
    renamed with the station."""
    desk = StationDesk.objects.select_related("group").filter(station=station).first()
    name = desk_group_name(station)
    if desk is None:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label__in=[app for app, _code in DESK_PERMISSIONS],
                codename__in=[code for _app, code in DESK_PERMISSIONS],
            )
        )
        return StationDesk.objects.create(station=station, group=group)
    if desk.group.name != name:
        desk.group.name = name
        desk.group.save(update_fields=["name"])
    return desk


def can_supervise(user) -> bool:
    return user.is_active and user.has_perm(SUPERVISE)


def station_ids_of(user) -> set[int]:
    """The stations whose desk groups the user belongs to (cached on the user object for the
    request)."""
    if not hasattr(user, "_desk_station_ids"):
        user._desk_station_ids = set(
            StationDesk.objects.filter(group__user=user).values_list("station_id", flat=True)
        )
    return user._desk_station_ids


def visible_requests(user):
    """Routed requests the user may see: all for supervisors, their stations' for desk staff,
    none for anyone else."""
    requests = ServiceRequest.objects.routed()
    if not user.is_active or not user.is_authenticated:
        return requests.none()
    if can_supervise(user):
        return requests
    if not user.has_perm(HANDLE):
        return requests.none()
    return requests.filter(station_id__in=station_ids_of(user))


def can_see(user, request: ServiceRequest) -> bool:
    if (
        request.status == RequestStatus.UNVERIFIED
        or not user.is_authenticated
        or not user.is_active
    ):
        return False
    if can_supervise(user):
        return True
    return user.has_perm(HANDLE) and request.station_id in station_ids_of(user)


def staff_of(station: Station):
    """Active users of the station's desk group: who can take its requests or receive one."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__station_desk__station=station)
        .distinct()
    )


def supervisors():
    """Who escalations go to: active users holding supervise_servicerequest through a group
    (审核) or directly."""
    return holders_of(SUPERVISE)
