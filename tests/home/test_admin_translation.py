"""The Wagtail admin speaks Chinese (issue 14).

Wagtail's own zh_Hans catalogues leave a few hundred admin strings untranslated ("Exploring",
"Page types usage", the dashboard's "37 Pages" summary...); site/locale/zh_Hans/LC_MESSAGES
supplies them. These tests check that
- the committed .mo files say exactly what the .po files say (the .mo is what Django reads,
  and a fresh clone has no `msgfmt` to rebuild it), and the placeholders survive translation;
- every string of the installed Wagtail apps has a Chinese translation, so a Wagtail upgrade
  that adds strings fails here instead of showing English to editors;
- the dashboard, the page explorer and the lists of collections, groups and workflows, as a
  superuser sees them, show no English words, and Wagtail's setup data has Chinese names (the
  root page 根目录, not "Root"; no "Editors" / "Moderators" beside 编辑 / 审核).
"""

import ast
import gettext
import importlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import trans_real
from django.views.i18n import JavaScriptCatalog
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    Page,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from faq.models import FAQIndexPage, QuestionPage

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")


# --- .po files, read without polib or gettext's tools ---------------------------------------


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr ({index: text}), flags.
    Obsolete (#~) entries are left out."""
    entries, entry, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line or line.startswith("#"):
            if entry is not None and field is not None:  # a blank line or comment ends an entry
                entries.append(entry)
                entry, field = None, None
            if line.startswith("#,"):
                entry = entry or {"flags": set(), "msgstr": {}}
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, int):
                entry["msgstr"][field] += value
            else:
                entry[field] += value
            continue
        keyword, _, literal = line.partition(" ")
        entry = entry or {"flags": set(), "msgstr": {}}
        value = ast.literal_eval(literal)
        if keyword.startswith("msgstr"):
            field = int(keyword[7:-1]) if keyword != "msgstr" else 0
            entry["msgstr"][field] = value
        else:
            field = keyword
            entry[keyword] = value
    return [e for e in entries if "msgid" in e]


def catalog_key(entry: dict) -> str:
    msgid = entry["msgid"]
    return f"{entry['msgctxt']}\x04{msgid}" if entry.get("msgctxt") else msgid


def expected_catalog(entries: list[dict]) -> dict:
    """What `msgfmt` compiles a .po into, in the shape of gettext.GNUTranslations._catalog:
    fuzzy and untranslated entries are left out."""
    catalog = {}
    for entry in entries:
        if "fuzzy" in entry["flags"] or not all(entry["msgstr"].values()):
            continue
        if entry.get("msgid_plural"):
            for index, text in entry["msgstr"].items():
                catalog[(catalog_key(entry), index)] = text
        else:
            catalog[catalog_key(entry)] = entry["msgstr"][0]
    return catalog


@pytest.mark.parametrize("domain", DOMAINS)
def test_committed_mo_matches_po(domain):
    po = LOCALE_DIR / f"{domain}.po"
    mo = LOCALE_DIR / f"{domain}.mo"
    with mo.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)._catalog
    assert compiled == expected_catalog(read_po(po)), (
        f"{mo} is out of date: recompile it (see the comment at the top of {po.name})"
    )


PLACEHOLDER = {
    "python-format": re.compile(r"%\((\w+)\)[sdif]"),
    "python-brace-format": re.compile(r"\{(\w+)\}"),
}


@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_keep_their_placeholders(domain):
    """A placeholder the code does not fill raises KeyError when the string is shown; one left
    out drops the value (as `msgfmt --check` would report)."""
    wrong = []
    for entry in read_po(LOCALE_DIR / f"{domain}.po"):
        for flag, pattern in PLACEHOLDER.items():
            if flag not in entry["flags"]:
                continue
            singular = set(pattern.findall(entry["msgid"]))
            plural = set(pattern.findall(entry.get("msgid_plural", "")))
            for text in entry["msgstr"].values():
                used = set(pattern.findall(text))
                if plural:  # Chinese has one form, shown for the singular and the plural
                    ok = plural <= used <= singular | plural
                else:
                    ok = used == singular
                if not ok:
                    wrong.append((entry["msgid"], text))
    assert not wrong


def wagtail_source_entries(domain: str):
    """Every string of the installed Wagtail apps, from the English catalogues they ship."""
    for app in apps.get_app_configs():
        if app.name.split(".")[0] != "wagtail":
            continue
        source = Path(app.path) / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
        if source.exists():
            for entry in read_po(source):
                if entry["msgid"]:
                    yield app.name, entry


def zh_hans_catalog(domain: str):
    """The merged catalogue Django serves in zh-hans: Wagtail's, Django's and ours."""
    if domain == "django":
        return trans_real.translation("zh-hans")._catalog
    # As the admin's /admin/jsi18n/ builds it (wagtail.admin.views.i18n).
    paths = JavaScriptCatalog().get_paths(["wagtail.admin"])
    return trans_real.DjangoTranslation("zh-hans", domain=domain, localedirs=paths)._catalog


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_wagtail_admin_string_is_translated(domain):
    catalog = zh_hans_catalog(domain)
    missing = []
    for app_name, entry in wagtail_source_entries(domain):
        key = catalog_key(entry)
        if entry.get("msgid_plural"):
            key = (key, 0)
        if not catalog.get(key):
            missing.append((app_name, entry["msgid"]))
    assert not missing, (
        f"{len(missing)} Wagtail strings have no zh_Hans translation; add them to "
        f"site/locale/zh_Hans/LC_MESSAGES/{domain}.po: {missing[:20]}"
    )


# --- The admin as it is rendered ------------------------------------------------------------

# Words that stay in Latin letters in the Chinese admin: product and technology names.
ALLOWED_WORDS = {
    "Wagtail",  # the product's name, in titles ("控制面板 - Wagtail") and the version footer
    "JavaScript",  # the <noscript> notice: "使用 Wagtail 需要 JavaScript…"
    "URL",  # "…无法通过任何 URL 访问" on the root level of the explorer
}

# English that no catalogue can translate: Wagtail 8.0 writes it into its templates without
# gettext. Each is a (tag, attribute or None for the text, text) found exactly there.
HARDCODED_IN_WAGTAIL = {
    # wagtailadmin/shared/headers/_actions.html: <nav aria-label="Actions">, for screen readers.
    ("nav", "aria-label", "Actions"),
    # wagtailadmin/home.html: the search box's screen-reader-only submit button.
    ("input", "value", "Search"),
    # wagtailadmin/shared/side_panel_toggle.html renders a missing count as "None" in a counter
    # that stays hidden while there is nothing to count.
    ("div[data-side-panel-toggle-counter]", None, "None"),
}

TEXT_ATTRIBUTES = {
    "title",
    "aria-label",
    "aria-description",
    "placeholder",
    "alt",
    "data-w-tooltip-content-value",
}
SIDEBAR_TEXT_KEYS = {"label", "footer_text", "title"}
# Script and style are not text; <kbd> holds key caps (Ctrl, Shift, Esc) of the keyboard
# shortcuts dialog, labelled as on the keyboard.
SKIPPED_ELEMENTS = {"script", "style", "kbd"}


class VisibleText(HTMLParser):
    """The texts a reader can meet on an admin page, as (where, text): text nodes (including
    hidden ones and <template> contents, which scripts reveal), the text attributes of elements,
    the values of buttons, and the labels of the sidebar menu (rendered by a script from JSON)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[tuple[tuple, str]] = []
        self.skipping: str | None = None
        self.json_script = False
        self.script: list[str] = []
        self.element = ("", None)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in SKIPPED_ELEMENTS:
            self.skipping = tag
            self.json_script = attributes.get("id") == "wagtail-sidebar-props"
            return
        name = tag
        if "data-side-panel-toggle-counter" in attributes:
            name = f"{tag}[data-side-panel-toggle-counter]"
        self.element = (name, attributes)
        for attribute, value in attributes.items():
            if value and attribute in TEXT_ATTRIBUTES:
                self.texts.append(((name, attribute), value))
        if tag == "input" and attributes.get("type") in {"submit", "button", "reset"}:
            self.texts.append(((name, "value"), attributes.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == self.skipping:
            if self.json_script:
                sidebar = json_texts("".join(self.script))
                self.texts.extend((("sidebar", key), text) for key, text in sidebar)
            self.skipping, self.json_script, self.script = None, False, []

    def handle_data(self, data):
        if self.skipping:
            self.script.append(data)
            return
        if data.strip():
            self.texts.append(((self.element[0], None), " ".join(data.split())))


def json_texts(data: str):
    def walk(node, key=None):
        if isinstance(node, dict):
            for child_key, child in node.items():
                yield from walk(child, child_key)
        elif isinstance(node, list):
            for child in node:
                yield from walk(child, key)
        elif isinstance(node, str) and key in SIDEBAR_TEXT_KEYS:
            yield key, node

    yield from walk(json.loads(data))


ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str) -> set[str]:
    return set(ENGLISH_WORD.findall(text)) - ALLOWED_WORDS


def english_in(html: str) -> list[tuple]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    found = []
    for (where, attribute), text in parser.texts:
        if (where, attribute, text) in HARDCODED_IN_WAGTAIL:
            continue
        if english_words(text):
            found.append((where, attribute, text))
    return found


@pytest.fixture
def superuser(db, django_user_model):
    # A Chinese name, so that the account summary and the "edited by" filter show no
    # Latin letters of their own.
    return django_user_model.objects.create_superuser("管理员", "admin@example.com", "pw")


@pytest.fixture
def busy_dashboard(superuser):
    """Give the dashboard's conditional panels something to show: the superuser's recent edit,
    a page they locked, and a page of theirs awaiting moderation (which, as a superuser, they
    may also review)."""
    edited, locked, submitted = QuestionPage.objects.order_by("path")[:3]
    edited.save_revision(user=superuser, log_action=True)
    locked.locked, locked.locked_by, locked.locked_at = True, superuser, timezone.now()
    locked.save(update_fields=["locked", "locked_by", "locked_at"])
    submitted.save_revision(user=superuser)
    submitted.get_workflow().start(submitted, superuser)
    return FAQIndexPage.objects.get()


def test_dashboard_and_page_explorer_show_no_english(client, superuser, busy_dashboard, home):
    client.force_login(superuser)
    # The page tree's root is titled 根目录 by home/0004 (Wagtail's first migration titles it
    # "Root", shown as "浏览: Root"); the demo site's own page titles are Chinese.
    urls = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{home.pk}/",
        f"/admin/pages/{busy_dashboard.pk}/",
        f"/admin/pages/{busy_dashboard.pk}/?q=暖气",  # the explorer's search within a section
        # Where Wagtail's setup data is listed: the root collection, the groups, the workflows.
        "/admin/collections/",
        "/admin/groups/",
        "/admin/workflows/list/",
        "/admin/workflows/tasks/index/",
    ]
    english = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        if found := english_in(body):
            english[url] = found
    assert not english, json.dumps(english, ensure_ascii=False, indent=1)


def test_dashboard_panels_are_rendered(client, superuser, busy_dashboard):
    """The dashboard checked above does show the panels that appear only when they have content."""
    client.force_login(superuser)
    body = client.get("/admin/").content.decode()
    for panel in ("最近编辑", "你锁定的页面", "等待你的审查", "你在工作流中的页面和片段"):
        assert panel in body, panel


# --- Wagtail's setup data (home/0004_chinese_setup_data) ------------------------------------


def test_root_page_and_root_collection_have_chinese_names(db):
    root = Page.get_first_root_node()
    assert (root.title, root.draft_title) == ("根目录", "根目录")
    assert (root.slug, root.path, root.url_path) == ("root", "0001", "/")  # only the names change
    assert Collection.get_first_root_node().name == "根目录"


def test_wagtails_english_groups_and_workflow_are_gone(db):
    """Wagtail's "Editors" / "Moderators" groups and "Moderators approval" workflow and task
    would stand next to the project's 编辑 / 审核 and 内容审核: the migration deletes them (none
    holds a user or is in use in a fresh database), and nothing else is named in English."""
    groups = set(Group.objects.values_list("name", flat=True))
    assert {"编辑", "审核"} <= groups
    assert not groups & {"Editors", "Moderators"}
    assert list(Workflow.objects.values_list("name", flat=True)) == ["内容审核"]
    assert list(Task.objects.values_list("name", flat=True)) == ["审核组审批"]
    names = [
        *Group.objects.values_list("name", flat=True),
        *Workflow.objects.values_list("name", flat=True),
        *Task.objects.values_list("name", flat=True),
        *Collection.objects.values_list("name", flat=True),
    ]
    assert not [name for name in names if english_words(name)]
    # The project's workflow still moderates the whole tree.
    assert Page.get_first_root_node().get_workflow().name == "内容审核"


def test_setup_data_migration_keeps_what_is_in_use(home, django_user_model):
    """In a database where Wagtail's group holds a user and its workflow moderates a section,
    they are renamed into Chinese, not deleted; the unused group goes; backwards restores."""
    migration = importlib.import_module("home.migrations.0004_chinese_setup_data")
    moderators = Group.objects.create(name="Moderators")
    Group.objects.create(name="Editors")
    django_user_model.objects.create_user("审核员甲").groups.add(moderators)
    task = GroupApprovalTask.objects.create(name="Moderators approval", active=True)
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name="Moderators approval", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})

    migration.forwards(apps, None)
    assert not Group.objects.filter(name="Editors").exists()
    moderators.refresh_from_db()
    assert moderators.name == "审核（Wagtail 默认）"
    assert moderators.user_set.get().username == "审核员甲"
    assert Page.objects.get(pk=home.pk).get_workflow().name == "审核流程（Wagtail 默认）"
    assert [t.name for t in Page.objects.get(pk=home.pk).get_workflow().tasks] == [
        "审核组审批（Wagtail 默认）"
    ]

    migration.backwards(apps, None)
    assert Page.get_first_root_node().title == "Root"
    assert Collection.get_first_root_node().name == "Root"
    assert Group.objects.get(pk=moderators.pk).name == "Moderators"  # renamed back
    assert Workflow.objects.get(pk=workflow.pk).name == "Moderators approval"
    assert Task.objects.get(pk=task.pk).name == "Moderators approval"
    editors = Group.objects.get(name="Editors")  # recreated with Wagtail's rights
    assert editors.page_permissions.filter(page__depth=1).count() == 2
    assert editors.collection_permissions.count() == 6
