"""Run by tests/catalogue/test_mirror.py in processes of its own, against the database of
DATABASE_URL, to change the catalogue while a mirror follows it:

- `setup W` gives each of W writers sections of its own (a 规章制度 index, a second one, a
  收费标准 column page and a page outside the catalogue): pages added under one parent by two
  processes at once would take the same tree path.
- `write W SEED STEPS` is writer W making STEPS changes chosen by SEED among its pages:
  publishing, editing, renaming, moving between sections and out of the catalogue, renaming a
  section, unpublishing, repealing, deleting and publishing again, each in its own transaction
  through Wagtail's own operations (the catalogue learns of them by its signals, as in service).
- `mirror LIMIT STOPFILE` is the portal: it follows `/api/disclosure/changes/` through the whole
  site (Django's test client) from nothing, `LIMIT` changes a page, with conditional GETs, until
  STOPFILE exists and a last pass finds nothing new. It prints every change number it read and
  the catalogue it ends up holding.
- `truth` prints the catalogue as it should be, worked out from the pages alone: every live
  disclosed page under a column's section and not repealed, with its column, title and address.
- `cleanup STATEFILE` removes every page the writers made and every record of them, and puts
  the change numbering and the 索引号 serials back as `setup` found them (saved in STATEFILE):
  on PostgreSQL the scenario runs in the test database itself, which the rest of the suite uses.

Each prints one line of JSON."""

import json
import os
import random
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from wagtail.models import Page  # noqa: E402

from catalogue.columns import Column  # noqa: E402
from catalogue.enums import Validity  # noqa: E402
from catalogue.models import (  # noqa: E402
    CatalogueChange,
    CatalogueItem,
    CatalogueSection,
    CatalogueSequence,
    DisclosedPage,
    IndexSerial,
)
from disclosure.models import CataloguePage, ColumnPage  # noqa: E402
from home.models import HomePage  # noqa: E402
from regulations.models import RegulationIndexPage, RegulationPage  # noqa: E402
from rules.models import RuleEvent  # noqa: E402

SLUG = "mirror-w"


def _publish(page: Page) -> None:
    page.save_revision().publish()


def _child(parent: Page, page: Page) -> Page:
    parent.refresh_from_db()  # treebeard adds after the children it has counted
    parent.add_child(instance=page)
    _publish(page)
    return page


def sections(writer: int) -> dict[str, Page]:
    """The writer's parents by role: `rules` and `standards` (column 法规标准), `fees` (column
    收费标准及依据) and `outside` (no column); and its `catalogue`."""
    pages = Page.objects.filter(slug__startswith=f"{SLUG}{writer}-").specific()
    return {page.slug.removeprefix(f"{SLUG}{writer}-").split("-")[0]: page for page in pages}


def setup(writers: int) -> dict:
    """Each writer's 收费标准 column page sits in a 信息公开 catalogue of its own, under its page
    outside the catalogue (a site has one column page per column)."""
    home = HomePage.objects.get()
    for writer in range(writers):
        prefix = f"{SLUG}{writer}-"
        for role in ("rules", "standards"):
            _child(home, RegulationIndexPage(title=f"镜像测试{writer}{role}", slug=prefix + role))
        outside = _child(home, Page(title=f"镜像测试{writer}栏目外", slug=prefix + "outside"))
        catalogue = _child(outside, CataloguePage(title="信息公开", slug=f"{prefix}catalogue"))
        _child(
            catalogue,
            ColumnPage(title=f"镜像测试{writer}收费", slug=prefix + "fees", column=Column.FEES),
        )
    return {"writers": writers}


def state() -> dict:
    """What cleanup puts back."""
    return {
        "sequence": CatalogueSequence.objects.get(pk=1).last,
        "serials": list(IndexSerial.objects.values()),
    }


def cleanup(state_file: str) -> dict:
    before = json.loads(Path(state_file).read_text())
    for page in Page.objects.filter(slug__startswith=SLUG).order_by("depth"):
        if Page.objects.filter(pk=page.pk).exists():  # not deleted with its parent
            page.delete()
    # Every item the scenario touched, pages it deleted itself included, and their records.
    changes = CatalogueChange.objects.filter(sequence__gt=before["sequence"])
    items = set(changes.values_list("item_id", flat=True))
    ids = set(CatalogueItem.objects.filter(pk__in=items).values_list("page_id", flat=True))
    RuleEvent.objects.filter(page_id__in=ids).delete()
    changes.delete()
    CatalogueItem.objects.filter(pk__in=items).delete()
    CatalogueSequence.objects.filter(pk=1).update(last=before["sequence"])
    IndexSerial.objects.all().delete()
    IndexSerial.objects.bulk_create(IndexSerial(**row) for row in before["serials"])
    return {"pages": len(ids)}


class Writer:
    """One writer's pages and what it does to them."""

    def __init__(self, writer: int, seed: int):
        self.writer = writer
        self.random = random.Random(seed)
        self.made = 0
        self.done: dict[str, int] = {}

    @property
    def parents(self) -> dict[str, Page]:
        return sections(self.writer)

    def pages(self, **filters) -> list[RegulationPage]:
        found = RegulationPage.objects.filter(slug__startswith=f"{SLUG}{self.writer}-p", **filters)
        return list(found.order_by("pk"))

    def pick(self, **filters) -> RegulationPage | None:
        pages = self.pages(**filters)
        return self.random.choice(pages) if pages else None

    def create(self) -> bool:
        self.made += 1
        number = f"{self.writer}-{self.made}"
        page = RegulationPage(
            title=f"镜像测试办法{number}",
            slug=f"{SLUG}{self.writer}-p{self.made}",
            issuing_body="长春市测试供热有限公司",
            effective_date=date(2026, 10, 1),
            keywords="供热,测试",
        )
        _child(self.random.choice([self.parents["rules"], self.parents["standards"]]), page)
        return True

    def edit(self) -> bool:
        if page := self.pick(live=True):
            page.title = f"{page.title.split('（')[0]}（{self.random.randint(1, 999)}次修订）"
            page.keywords = f"供热,修订{self.random.randint(1, 10**6)}"
            _publish(page)
        return bool(page)

    def rename(self) -> bool:
        """A new address and nothing else."""
        if page := self.pick(live=True):
            page.slug = f"{page.slug.split('--')[0]}--{self.random.randint(1, 10**6)}"
            _publish(page)
        return bool(page)

    def republish_unchanged(self) -> bool:
        if page := self.pick(live=True):
            _publish(page)
        return bool(page)

    def move(self) -> bool:
        if page := self.pick():
            roles = ["rules", "standards", "fees", "outside"]
            target = self.parents[self.random.choice(roles)]  # read afresh, as for _child
            if target.pk != page.get_parent().pk:
                page.move(target, pos="last-child")
        return bool(page)

    def rename_section(self) -> bool:
        section = self.parents[self.random.choice(["rules", "standards"])]
        section.slug = f"{section.slug.split('-x')[0]}-x{self.random.randint(1, 10**6)}"
        _publish(section)  # every page under it has a new address
        return True

    def unpublish(self) -> bool:
        if page := self.pick(live=True):
            page.unpublish()
        return bool(page)

    def publish_again(self) -> bool:
        if page := self.pick(live=False):
            _publish(page)
        return bool(page)

    def repeal(self) -> bool:
        if page := self.pick(live=True, validity=Validity.VALID):
            page.validity, page.validity_changed_on = Validity.REPEALED, date(2026, 12, 1)
            _publish(page)
        return bool(page)

    def restore(self) -> bool:
        if page := self.pick(validity=Validity.REPEALED):
            page.validity, page.validity_changed_on = Validity.VALID, None
            _publish(page)
        return bool(page)

    def delete(self) -> bool:
        if page := self.pick():
            page.delete()
        return bool(page)

    ACTIONS = {
        "create": 6,
        "edit": 4,
        "rename": 2,
        "republish_unchanged": 1,
        "move": 3,
        "rename_section": 1,
        "unpublish": 2,
        "publish_again": 2,
        "repeal": 2,
        "restore": 2,
        "delete": 1,
    }

    def run(self, steps: int) -> dict:
        names, weights = zip(*self.ACTIONS.items(), strict=True)
        for _ in range(steps):
            name = self.random.choices(names, weights)[0]
            if getattr(self, name)():
                self.done[name] = self.done.get(name, 0) + 1
        return self.done


def mirror(limit: int, stop_file: str) -> dict:
    """Follow the change API until told to stop and nothing is left: the portal's side."""
    client = Client()
    cursor, etag = "", ""
    sequences: list[int] = []
    held: dict[str, dict] = {}
    numbers: dict[int, set[str]] = {}  # every 索引号 each page was announced with
    not_modified = 0
    stopping = False
    while True:
        stopping = stopping or Path(stop_file).exists()
        url = f"/api/disclosure/changes/?limit={limit}" + (f"&since={cursor}" if cursor else "")
        response = client.get(url, headers={"if-none-match": etag} if etag else {})
        if response.status_code == 304:
            not_modified += 1
            if stopping:
                break
            time.sleep(0.05)
            continue
        assert response.status_code == 200, response.content
        body = response.json()
        for change in body["changes"]:
            sequences.append(change["sequence"])
            numbers.setdefault(change["item"]["page_id"], set()).add(change["index_number"])
            if change["action"] == "withdrawn":
                held.pop(change["index_number"], None)
            else:
                held[change["index_number"]] = change["item"]
        cursor = body["cursor"]
        if body["has_more"]:
            etag = ""
            continue
        etag = response["ETag"]
        if stopping and not body["changes"]:
            break
    catalogue = {
        number: {
            "page_id": item["page_id"],
            "column": item["column"],
            "title": item["title"],
            "path": urlsplit(item["url"]).path,
        }
        for number, item in held.items()
    }
    return {
        "sequences": sequences,
        "catalogue": catalogue,
        "numbers": {page: sorted(found) for page, found in numbers.items()},
        "not_modified": not_modified,
    }


def column_from_ancestors(page: Page) -> str | None:
    """The column of the nearest section at or above the page, read straight off the tree."""
    for ancestor in reversed(page.get_ancestors(inclusive=True).specific()):
        if isinstance(ancestor, CatalogueSection) and ancestor.catalogue_column:
            return str(ancestor.catalogue_column)
    return None


def truth() -> dict:
    found = {}
    for page in Page.objects.live().specific():
        if not isinstance(page, DisclosedPage) or page.validity == Validity.REPEALED:
            continue
        if column := column_from_ancestors(page):
            found[str(page.pk)] = {
                "column": column,
                "title": page.title,
                "path": page.get_url_parts()[2],
            }
    numbers = dict(CatalogueItem.objects.values_list("page_id", "index_number"))
    sequences = CatalogueChange.objects.order_by("sequence").values_list("sequence", flat=True)
    return {
        "catalogue": found,
        "index_numbers": {str(page): number for page, number in numbers.items()},
        "sequences": list(sequences),
    }


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "setup":
        answer = setup(int(arguments[0]))
    elif command == "state":
        answer = state()
    elif command == "cleanup":
        answer = cleanup(arguments[0])
    elif command == "write":
        writer, seed, steps = map(int, arguments)
        answer = Writer(writer, seed).run(steps)
    elif command == "mirror":
        answer = mirror(int(arguments[0]), arguments[1])
    else:
        answer = truth()
    print(json.dumps(answer, ensure_ascii=False))
