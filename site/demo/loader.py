"""Builds the demo site from the seed content. Idempotent: pages that already exist (found by
slug under their parent) are left as editors may have changed them; directory rows are
upserted by their stable keys; site settings are filled only where empty."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from commitments.models import Commitment, CommitmentIndexPage, CommitmentPage
from contacts.models import Branch, Community, Station, StationKind
from contacts.pages import DirectoryPage
from demo.collections_loader import load_collections
from demo.content import commitments as commitment_content
from demo.content import directory as directory_content
from demo.content import faq as faq_content
from demo.content import fees as fee_content
from demo.content import notices as notice_content
from demo.content import regulations as regulation_content
from demo.content import site as site_content
from demo.disclosure_loader import fill_catalogue_settings, load_disclosure
from demo.metadata import disclosed_fields, without_metadata
from demo.reports_loader import load_reports_demo
from faq.models import FAQIndexPage, QuestionPage
from fees.models import FeeCalculatorPage, FeeSeasonPage, RefundBandRule, RuleSource
from home.models import HomePage, SiteSettings
from notices.boundaries import parse_boundaries
from notices.lifecycle.transitions import record_update
from notices.models import NoticeIndexPage, OutageNoticePage
from regulations.importer import import_regulation, source_key_for
from regulations.models import RegulationIndexPage, RegulationPage


@transaction.atomic
def load_demo() -> dict[str, int]:
    home = _home_page()
    _site_settings(home)
    fill_catalogue_settings(home)
    _commitments(home)
    _faq(home)
    directory_counts = _directory()
    _directory_page(home)
    _regulations(home)
    _fees(home)
    _notices(home)
    # After the commitments its guides quote and the directory its profile counts.
    load_disclosure(home, _publish)
    load_reports_demo(home, _publish)
    load_collections(home, _publish)  # after the directory their places name
    return {
        "pages": Page.objects.live().descendant_of(home, inclusive=True).count(),
        **directory_counts,
    }


def _publish(parent: Page, page: Page) -> Page:
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _section(home: HomePage, page_class, data: dict) -> Page:
    """A section of the site (a child of the home page, in the menu) from its demo data, with
    its catalogue metadata when the section is itself a disclosed item."""
    fields = {name: data[name] for name in ("title", "slug", "search_description", "intro")}
    return _publish(home, page_class(show_in_menus=True, **fields, **disclosed_fields(data)))


def _home_page() -> HomePage:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    home = HomePage.objects.first()
    if home is None:
        # A temporary slug: Wagtail's welcome page holds "home" until it is removed below.
        home = HomePage(title="首页", slug="home-new", intro=site_content.HOME_INTRO)
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    previous_root = site.root_page if site.pk else None
    site.root_page = home
    site.site_name = site_content.COMPANY_NAME
    site.save()
    # Wagtail's install leaves a "Welcome to Wagtail" page behind; remove it once unused.
    if previous_root and previous_root.pk != home.pk and previous_root.specific_class is Page:
        if not previous_root.get_children().exists():
            previous_root.delete()
            home.slug = "home"
            home.save_revision().publish()
    # Reload: children take their URL path from the stored parent, not a stale instance.
    return HomePage.objects.get(pk=home.pk)


def _site_settings(home: HomePage) -> None:
    site = Site.objects.get(root_page=home)
    settings = SiteSettings.for_site(site)
    _filing_numbers(settings)
    if settings.company_name:
        return
    settings.company_name = site_content.COMPANY_NAME
    settings.office_address = site_content.OFFICE_ADDRESS
    settings.hotlines = [
        ("hotline", {"kind": kind, "label": label, "number": number, "hours": hours})
        for kind, label, number, hours in site_content.HOTLINES
    ]
    settings.season_start = date(*site_content.SEASON[0])
    settings.season_end = date(*site_content.SEASON[1])
    settings.save()


def _filing_numbers(settings: SiteSettings) -> None:
    """Filled where blank: a site loaded before the footer showed them gets them too."""
    if settings.icp_number and settings.police_number:
        return
    settings.icp_number = settings.icp_number or site_content.ICP_NUMBER
    settings.police_number = settings.police_number or site_content.POLICE_NUMBER
    if settings.pk:
        settings.save(update_fields=["icp_number", "police_number"])


def _commitments(home: HomePage) -> None:
    index = _section(home, CommitmentIndexPage, commitment_content.COMMITMENT_INDEX)
    for data in commitment_content.COMMITMENT_PAGES:
        start_month, start_day, end_month, end_day, days = data["season"]
        page = CommitmentPage(
            title=data["title"],
            slug=data["slug"],
            search_description=data["search_description"],
            intro=data["intro"],
            standard_temperature=Decimal(data["standard_temperature"]),
            promised_temperature=Decimal(data["promised_temperature"])
            if data.get("promised_temperature")
            else None,
            promised_rate=data.get("promised_rate"),
            season_start_month=start_month,
            season_start_day=start_day,
            season_end_month=end_month,
            season_end_day=end_day,
            season_days=days,
            source=data["source"],
            **disclosed_fields(data),
        )
        page.commitments = [
            Commitment(
                key=key,
                category=category,
                service_item=item,
                limit_value=value,
                limit_unit=unit,
                requirement=requirement,
                note=note,
            )
            for key, category, item, value, unit, requirement, note in data["commitments"]
        ]
        _publish(index, page)


def _faq(home: HomePage) -> None:
    index = _section(home, FAQIndexPage, faq_content.FAQ_INDEX)
    for slug, category, question, answer in faq_content.QUESTIONS:
        calculator, prefill = faq_content.CALCULATOR_LINKS.get(slug, ("", ""))
        page = QuestionPage(
            title=question,
            slug=slug,
            category=category,
            answer=answer,
            calculator=calculator,
            calculator_prefill=prefill,
        )
        _publish(index, page)


def _fees(home: HomePage) -> None:
    calculators = _section(home, FeeCalculatorPage, fee_content.CALCULATOR_PAGE)
    _publish(calculators, fee_season(fee_content.SEASON))


def fee_season(data: dict) -> FeeSeasonPage:
    """A season's fee rules from its demo data, with the demo's refund bands and the questions
    that publish each rule."""
    dates = {name: date(*data[name]) for name in ("starts_on", "ends_on")}
    season = FeeSeasonPage(**{**without_metadata(data), **dates, **disclosed_fields(data)})
    for lower, upper, percent, label in fee_content.REFUND_BANDS:
        season.refund_bands.add(
            RefundBandRule(lower_celsius=lower, upper_celsius=upper, percent=percent, label=label)
        )
    questions = {
        q.slug: q for q in QuestionPage.objects.filter(slug__in=fee_content.RULE_SOURCES.values())
    }
    for topic, slug in fee_content.RULE_SOURCES.items():
        season.rule_sources.add(RuleSource(topic=topic, page=questions[slug]))
    return season


def _directory_page(home: HomePage) -> None:
    _section(home, DirectoryPage, directory_content.DIRECTORY_PAGE)


def _regulations(home: HomePage) -> None:
    index = _section(home, RegulationIndexPage, regulation_content.REGULATION_INDEX)
    _rulebook(index)
    _standard(index, regulation_content.FLOOR_AREA_STANDARD)


def _rulebook(index: RegulationIndexPage) -> None:
    """Seed 004's rulebook, imported from its Word fixture (kept with the tests' fixtures)."""
    data = regulation_content.RULEBOOK
    path = settings.BASE_DIR / data["fixture"]
    if not path.exists():
        return
    key = source_key_for(data["title"])
    if RegulationPage.objects.child_of(index).filter(source_key=key).exists():
        return
    page = import_regulation(
        path.read_bytes(), filename=path.name, parent=index, title=data["title"]
    ).page.get_latest_revision_as_object()
    page.slug = data["slug"]
    page.issuing_body = data["issuing_body"]
    page.effective_date = date(*data["effective_date"])
    for name, value in disclosed_fields(data).items():
        setattr(page, name, value)
    page.save_revision().publish()


def _standard(index: RegulationIndexPage, data: dict) -> None:
    """A regulation written out in the demo content (an excerpt), not imported from Word."""
    fields = ("title", "slug", "search_description", "document_number", "issuing_body", "body")
    page = RegulationPage(
        **{name: data[name] for name in fields},
        effective_date=date(*data["effective_date"]),
        source_key=source_key_for(data["title"]),
        **disclosed_fields(data),
    )
    _publish(index, page)


def _directory() -> dict[str, int]:
    branches = {}
    for name, district, phone in directory_content.BRANCHES:
        branches[district], _ = Branch.objects.get_or_create(
            name=name,
            defaults={
                "phone": phone,
                "address": f"长春市{district}",
                "business_hours": "8:30—17:00",
            },
        )
    stations_by_district: dict[str, list[str]] = {}
    for index, (name, district, office) in enumerate(directory_content.STATIONS, start=1):
        Station.objects.get_or_create(
            name=name,
            defaults={
                "kind": StationKind.OFFICE,
                "branch": branches[district],
                "office_address": office,
                "phone": f"0431-0000-{index:02d}10",
                "person_in_charge": "所长",
            },
        )
        stations_by_district.setdefault(district, []).append(name)
    stations = {station.name: station for station in Station.objects.all()}

    rows = [(*row, "", "") for row in directory_content.SEED_COMMUNITIES]
    rows += directory_content.generated_communities(stations_by_district)
    existing = Community.objects.in_bulk([row[0] for row in rows], field_name="code")
    for code, name, aliases, district, address, households, station, manager, phone in rows:
        if code in existing:
            continue
        Community(
            code=code,
            name=name,
            aliases=aliases,
            district=district,
            address=address,
            households=households,
            station=stations[station],
            manager_name=manager or "值班管理员",
            manager_phone=phone or stations[station].phone,
        ).save()
    return {
        "branches": Branch.objects.count(),
        "stations": Station.objects.count(),
        "communities": Community.objects.count(),
    }


def reload_demo_notices() -> None:
    """Replace the demo notices with fresh ones placed around today: their times are relative
    to the day they were loaded, and a test database outlives that day."""
    slugs = [item["slug"] for item in notice_content.NOTICES]
    for notice in OutageNoticePage.objects.filter(slug__in=slugs):
        notice.delete()
    _notices(HomePage.objects.get())


def _notices(home: HomePage) -> None:
    index = _section(home, NoticeIndexPage, notice_content.NOTICE_INDEX)
    # The notices section comes first in the menu: it is what residents come for.
    if index.get_prev_siblings().exists():
        index.move(home, pos="first-child")
        # move() changes the path in the database, not in this instance: reload it, or the
        # children added below would be counted on a stale path.
        index = NoticeIndexPage.objects.get(pk=index.pk)
    today = timezone.localdate()
    now = timezone.now().replace(second=0, microsecond=0)
    for item in notice_content.NOTICES:
        if index.get_children().filter(slug=item["slug"]).exists():
            continue
        starts_at = _demo_time(today + timedelta(days=item["day"]), item["start"], now)
        ends_at = _demo_time(starts_at.date() + timedelta(days=item["end_day"]), item["end"], now)
        notice = notice_page(item, starts_at, ends_at)
        index.add_child(instance=notice)
        timeline = item.get("timeline", [])
        if timeline:
            # A past notice: replay its history before it goes live, as it happened.
            record_update(
                notice.pk, "started", occurred_at=starts_at, text="已到开始时间。", automatic=True
            )
            for kind, at, new_end, text in timeline:
                record_update(
                    notice.pk,
                    kind,
                    occurred_at=starts_at + _hours(at),
                    new_ends_at=starts_at + _hours(new_end) if new_end else None,
                    text=text,
                )
            notice.refresh_from_db()
        notice.save_revision().publish()
        if timeline:
            OutageNoticePage.objects.filter(pk=notice.pk).update(
                went_live_at=starts_at - timedelta(hours=1)
            )


def notice_page(item: dict, starts_at: datetime, ends_at: datetime | None) -> OutageNoticePage:
    """A notice from its demo data, not yet added to the tree."""
    boundaries = parse_boundaries(item.get("boundary_text", ""))
    notice = OutageNoticePage(
        title=item["title"],
        slug=item["slug"],
        utility=item["utility"],
        kind=item["kind"],
        cause=item["cause"],
        area_name=item["area_name"],
        district=item["district"],
        starts_at=starts_at,
        ends_at=ends_at,
        end_is_estimate=item.get("end_is_estimate", False),
        households=item.get("households"),
        station=Station.objects.filter(name=item.get("station", "")).first(),
        contact_phone=item.get("contact_phone", ""),
        boundary_text=item.get("boundary_text", ""),
        boundary_south=boundaries.south,
        boundary_north=boundaries.north,
        boundary_west=boundaries.west,
        boundary_east=boundaries.east,
        polygon=item.get("polygon"),
        details=item["details"],
        **disclosed_fields(item),
    )
    notice.communities.set(list(Community.objects.filter(code__in=item["communities"])))
    return notice


def _hours(offset: str) -> timedelta:
    """ "+9h", "-2h" → hours."""
    return timedelta(hours=float(offset.removesuffix("h")))


def _demo_time(day: date, clock: str, now: datetime) -> datetime:
    """ "8:00" on a day, or "now-2h" / "now+4h" relative to the moment of loading."""
    if clock.startswith("now"):
        return now + _hours(clock.removeprefix("now"))
    hour, minute = (int(part) for part in clock.split(":"))
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))
