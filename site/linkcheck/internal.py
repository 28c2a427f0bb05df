"""Links to the site itself: pages and documents chosen by id, and addresses of the site typed
into a link (`/faq/…`, or with the site's own host name).

A chosen page is found by id wherever it moves, so for those only deletion and unpublishing
break the link. A typed address breaks when the page moves, and "moved" means: the address no
longer leads to a page, and Wagtail still knows where the page that lived there went, either
by a redirect (made by Wagtail when a page is moved or its slug changes, or by hand: readers are
still taken there, so it is a warning) or by the page's revisions, which record the address it
had (no redirect: readers see 页面不存在, an error). A typed address that works is reported too,
as a warning, with the page it leads to: it breaks at the page's next move, and no usage index
knows it links there (linkcheck.usage shows it when the page is deleted or unpublished)."""

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import Page, Revision, Site

from linkcheck.enums import Severity, Status
from linkcheck.links import DOCUMENT, PAGE
from linkcheck.verdicts import Verdict

SERVE_VIEW = "wagtail_serve"
DOCUMENT_VIEW = "wagtaildocs_serve"


def our_hosts() -> set[str]:
    """Host names that are this site: its Sites, its public and admin addresses."""
    hosts = {hostname.lower() for hostname in Site.objects.values_list("hostname", flat=True)}
    for address in (settings.PUBLIC_BASE_URL, settings.WAGTAILADMIN_BASE_URL):
        if address and urlsplit(address).hostname:
            hosts.add(urlsplit(address).hostname.lower())
    return hosts


def site_path(target: str, hosts: set[str]) -> str | None:
    """The path of a typed address of this site (`/faq/` or `https://<our host>/faq/`), None
    for anything else."""
    if target.startswith(("//",)):
        target = "https:" + target
    parts = urlsplit(target)
    if parts.scheme in ("http", "https") and (parts.hostname or "").lower() in hosts:
        return parts.path or "/"
    if not parts.scheme and not parts.netloc and parts.path.startswith("/"):
        return parts.path
    return None


def is_internal(target: str, hosts: set[str]) -> bool:
    return target.startswith((PAGE, DOCUMENT)) or site_path(target, hosts) is not None


def check(targets: set[str], hosts: set[str]) -> dict[str, Verdict | None]:
    """target → its verdict (None: it works), for chosen pages and documents and typed paths."""
    verdicts: dict[str, Verdict | None] = {}
    page_ids = _ids(targets, PAGE)
    pages = Page.objects.filter(pk__in=page_ids.values()).only("pk", "title", "live").in_bulk()
    for target, pk in page_ids.items():
        verdicts[target] = _chosen_page(pk, pages.get(pk))
    document_ids = _ids(targets, DOCUMENT)
    documents = set(
        get_document_model()
        .objects.filter(pk__in=document_ids.values())
        .values_list("pk", flat=True)
    )
    for target, pk in document_ids.items():
        verdicts[target] = None if pk in documents else _deleted_document(pk)
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    for target in targets - verdicts.keys():
        path = site_path(target, hosts)
        if path is not None and site is not None:
            verdicts[target] = check_path(unquote(path), site)
    return verdicts


def _ids(targets: set[str], prefix: str) -> dict[str, int]:
    ids = {}
    for target in targets:
        if target.startswith(prefix) and target[len(prefix) :].isdigit():
            ids[target] = int(target[len(prefix) :])
    return ids


def _chosen_page(pk: int, page: Page | None) -> Verdict | None:
    if page is None:
        return Verdict(
            Status.DELETED,
            _(
                "链接的页面（编号%(id)d）已被删除，读者点击后看到“页面不存在”。请删除此链接，或改链接到其他页面。"
            )
            % {"id": pk},
        )
    if not page.live:
        return _unpublished(page)
    return None


def _unpublished(page: Page) -> Verdict:
    return Verdict(
        Status.UNPUBLISHED,
        _(
            "链接的页面“%(title)s”未发布（已下线或尚未发布），读者无法打开。请在它重新发布前删除或更换此链接。"
        )
        % {"title": page.title},
        target_page_id=page.pk,
    )


def _deleted_document(pk: int) -> Verdict:
    return Verdict(
        Status.DELETED,
        _("链接的文档（编号%(id)d）已被删除。请删除此链接，或重新上传文档后再链接。") % {"id": pk},
    )


def check_path(path: str, site: Site) -> Verdict | None:
    """A typed path of the site: where it leads now, or where its page went."""
    for candidate in _with_slash(path):
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        if match.url_name == DOCUMENT_VIEW:
            document = match.kwargs.get("document_id")
            if get_document_model().objects.filter(pk=document).exists():
                return None
            return _deleted_document(int(document))
        if match.url_name != SERVE_VIEW:
            return None  # a view of the site's own (search, feeds, the service desk)
        return _page_path(candidate, site)
    if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
        return None  # files served beside the site
    return _gone(path, site)


def _with_slash(path: str) -> list[str]:
    # CommonMiddleware's APPEND_SLASH takes readers from /faq to /faq/.
    return [path] if path.endswith("/") else [path, path + "/"]


def _page_path(path: str, site: Site) -> Verdict | None:
    components = [part for part in path.split("/") if part]
    request = HttpRequest()
    request.path = request.path_info = path
    try:
        routed = site.root_page.specific.route(request, components)
    except Http404:
        routed = None
    if routed is not None:
        page = routed[0]
        if page.url_path == _url_path(site, path):
            return Verdict(
                Status.HARD_CODED,
                _(
                    "链接写成了本站页面“%(title)s”的固定地址。页面移动或改名后，这个链接就会失效。请删除后用“页面”链接重新选择该页面。"
                )
                % {"title": page.title},
                target_page_id=page.pk,
            )
        return None  # a route of a page: a listing, a calculator, a community
    return _gone(path, site)


def _url_path(site: Site, path: str) -> str:
    """Wagtail's url_path of the page at `path` on `site`: the root page's path, then `path`."""
    return site.root_page.url_path + path.strip("/") + ("/" if path.strip("/") else "")


def _gone(path: str, site: Site) -> Verdict:
    """No page at `path`: unpublished, moved (by a redirect, or by the page's revisions), or
    missing."""
    here = Page.objects.filter(url_path=_url_path(site, path)).only("pk", "title", "live").first()
    if here is not None and not here.live:
        return _unpublished(here)
    redirect = (
        Redirect.get_for_site(site)
        .filter(old_path=Redirect.normalise_path(path))
        .select_related("redirect_page")
        .first()
    )
    if redirect is not None:
        return _redirected(redirect)
    moved = _moved_page(_url_path(site, path))
    if moved is not None:
        if not moved.live:
            return _unpublished(moved)
        return Verdict(
            Status.MOVED,
            _(
                "页面“%(title)s”已移到新地址，这个旧地址已失效，读者会看到“页面不存在”。请删除后用“页面”链接重新选择该页面。"
            )
            % {"title": moved.title},
            suggestion=moved.get_url() or "",
            target_page_id=moved.pk,
        )
    return Verdict(
        Status.MISSING,
        _(
            "本站没有这个地址，读者会看到“页面不存在”：页面可能已被删除、改名，或地址写错了。请删除此链接或改为正确的页面。"
        ),
    )


def _redirected(redirect: Redirect) -> Verdict:
    page = redirect.redirect_page
    if page is not None and not page.live:
        return _unpublished(page)
    title = page.title if page is not None else redirect.redirect_link
    return Verdict(
        Status.MOVED,
        _(
            "页面“%(title)s”已移到新地址，旧地址目前会自动跳转过去，但跳转随时可能被删除。请删除后用“页面”链接重新选择该页面。"
        )
        % {"title": title},
        suggestion=redirect.link or "",
        target_page_id=page.pk if page is not None else None,
        severity=Severity.WARNING,
    )


def _moved_page(old_url_path: str) -> Page | None:
    """The page whose revisions say it once lived at `old_url_path`, if it still exists."""
    revisions = (
        Revision.page_revisions.filter(content__url_path=old_url_path)
        .order_by("-created_at")
        .values_list("object_id", flat=True)
    )
    for object_id in revisions[:20]:
        page = Page.objects.filter(pk=object_id).only("pk", "title", "live", "url_path").first()
        if page is not None and page.url_path != old_url_path:
            return page
    return None
