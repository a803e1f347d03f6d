"""The public pages (issue 21): ``/p/…`` without log-in, sessions or cookies (``middleware``), reading only what
was published (``selectors``); each page also answers ``?format=json`` and ``?format=csv``. And the admin's page
that publishes and withdraws a year (``/organizations/<slug>/public/``).

Bodies are cached server-side under the public version (``cache``); whether the organization and year are in
force is read from the database on every request first, so a withdrawn year answers 404 at once."""
import csv
import hashlib
import io
import json
import tempfile
import time
import zipfile
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps import views as sitemap_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from assessments.models import Assessment
from core.exports import export_rows, neutralise, stream_csv
from measures.models import MeasurePlan
from oit.models import Checklist
from organizations.models import Organization
from organizations.permissions import rights_of
from organizations.selectors import organizations_for_user
from reports import signing
from reports.forms import VerifyPdfForm

from . import cache, catalog, selectors, services, sitemaps
from .models import Publication

FORMATS = ("html", "json", "csv")


def public_view(view: Callable) -> Callable:
    """A public page: no log-in, GET and HEAD only."""
    return login_not_required(require_GET(view))


def public_cache_headers(response: HttpResponse) -> None:
    """Anyone may keep ``response``: browsers ``PUBLIC_CACHE_SECONDS`` (``max-age``), shared caches — the
    micro-cache of deploy/nginx.conf — ``PUBLIC_SHARED_CACHE_SECONDS`` (``s-maxage``: they cannot be emptied on a
    withdrawal, so they keep it briefly)."""
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS,
                        s_maxage=settings.PUBLIC_SHARED_CACHE_SECONDS)


def _format(request: HttpRequest) -> str:
    fmt = request.GET.get("format") or "html"
    if fmt not in FORMATS:
        raise Http404
    return fmt


def csv_bytes(headers: list[str], rows) -> bytes:
    """A CSV file as the portal's exports write it (UTF-8 with a byte order mark; cells that a spreadsheet would
    run as formulas neutralised, ``core.exports.neutralise``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([neutralise("" if value is None else value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode()


def _cacheable(request: HttpRequest, entry: dict) -> HttpResponse:
    """``entry`` (body, content type, ETag, build time, file name) as a response anyone may cache for
    ``PUBLIC_CACHE_SECONDS``, or 304 when the client's copy is current."""
    response = HttpResponse(entry["body"], content_type=entry["content_type"])
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["built_at"])
    if entry.get("filename"):
        response["Content-Disposition"] = f'inline; filename="{entry["filename"]}"'
    public_cache_headers(response)
    return get_conditional_response(request, etag=entry["etag"], last_modified=entry["built_at"],
                                    response=response)


def _entry(body: bytes, content_type: str, filename: str = "") -> dict:
    return {"body": body, "content_type": content_type, "etag": f'"{hashlib.sha256(body).hexdigest()[:32]}"',
            "built_at": int(time.time()), "filename": filename}


def _page(request: HttpRequest, *, template: str, build: Callable[[], dict], table: Callable[[dict], tuple],
          filename: str) -> HttpResponse:
    """One public page in the requested format, from the cache or built by ``build()`` (the data), rendered
    with ``template`` (HTML), as JSON, or as the CSV of ``table(data)`` → (headers, rows)."""
    fmt = _format(request)
    key = cache.page_key(request.get_host(), request.path, fmt)  # the host: embed and export write absolute URLs
    entry = cache.page_get(key)
    if entry is None:
        data = build()
        if fmt == "json":
            body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()
            entry = _entry(body, "application/json; charset=utf-8")
        elif fmt == "csv":
            entry = _entry(csv_bytes(*table(data)), "text/csv; charset=utf-8", f"{filename}.csv")
        else:
            context = {**data, "page_path": request.path, "licence": settings.ITA_OPEN_DATA_LICENCE,
                       "licence_url": settings.ITA_OPEN_DATA_LICENCE_URL}
            entry = _entry(render_to_string(template, context).encode(), "text/html; charset=utf-8")
        cache.page_set(key, entry)
    return _cacheable(request, entry)


# --- the pages ------------------------------------------------------------------------------------------------

def _index_data() -> dict:
    years: dict[str, dict] = {}
    for slug, name, year, _at in selectors.published_pairs():
        years.setdefault(slug, {"slug": slug, "name": name, "years": [],
                                "url": f"/p/{slug}/"})["years"].append(year)
    return {"organizations": sorted(years.values(), key=lambda o: o["name"]),
            "score_years": selectors.published_score_years()}


def _index_table(data: dict) -> tuple:
    return (["slug", "organization", "fiscal_years", "url"],
            [[o["slug"], o["name"], " ".join(str(y) for y in o["years"]), o["url"]] for o in data["organizations"]])


@public_view
def index(request: HttpRequest) -> HttpResponse:
    """``/p/``: the organizations that published, with their years, and the open data."""
    return _page(request, template="public/index.html", build=_index_data, table=_index_table,
                 filename="ita-public")


def _score_cells(scores: dict | None) -> list:
    if scores is None:
        return [None] * 5
    return [scores["iit"], scores["eit"], scores["oit"], scores["ita"], scores["level"]]


def _organization_table(data: dict) -> tuple:
    return (["fiscal_year", "iit", "eit", "oit", "ita", "level", "target", "url"],
            [[row["fiscal_year"], *_score_cells(row["scores"]), row["target"], row["url"]] for row in data["years"]])


@public_view
def organization(request: HttpRequest, slug: str) -> HttpResponse:
    """``/p/<slug>/``: scores and levels over the published years, the latest against the target, the years."""
    found = selectors.published_organization(slug=slug)
    return _page(request, template="public/organization.html",
                 build=lambda: selectors.organization_page(organization=found), table=_organization_table,
                 filename=f"ita-{slug}")


def _year_table(data: dict) -> tuple:
    rows = []
    for item in data["oit"]:
        rows.append(["oit", item["code"], item["title"], item["where"], "", "", "", item["link"]])
        rows += [["oit_evidence", item["code"], e["element"], e["name"], "", "", "", e["url"]]
                 for e in item["evidence"]]
    if data["plan"]:
        for finding in (data["plan"]["analysis"] or {}).get("findings", []):
            rows.append(["finding", finding["number"], finding["title"], finding["text"], "", "",
                         finding["recommendation"], ""])
        rows += [["measure", m["number"], m["title"], " / ".join(m["steps"]), ", ".join(m["owners"]),
                  m["timeframe"], "", ""] for m in data["plan"]["measures"]]
    for report in data["reports"]:
        rows += [[f"progress_{report['round']}", e["number"], e["measure"], e["result"], "", "",
                  e["status_label"], ""] for e in report["entries"]]
    rows += [["document", d["document_number"], d["subject"], d["filename"], "", d["date"], "", d["url"]]
             for d in data["documents"]]
    return ["section", "code", "title", "detail", "owners", "timeframe", "status", "url"], rows


def _year(slug: str, fiscal_year: int) -> tuple[Organization, Publication]:
    found = selectors.published_organization(slug=slug)
    return found, selectors.publication_of(organization=found, fiscal_year=fiscal_year)


@public_view
def year(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """``/p/<slug>/<year>/``: the OIT checklist as published, the approved plan with its analysis (O25), the
    approved progress reports (O26) and the issued PDFs."""
    found, publication = _year(slug, fiscal_year)
    return _page(request, template="public/year.html",
                 build=lambda: selectors.year_page(organization=found, publication=publication),
                 table=_year_table, filename=f"ita-{slug}-{fiscal_year}")


def _item_table(data: dict) -> tuple:
    rows = [["link", data["code"], data["title"], data["where"], data["link"]]]
    rows += [["evidence", data["code"], e["element"], e["name"], e["url"]] for e in data["evidence"]]
    return ["row", "code", "title", "detail", "url"], rows


@public_view
def item(request: HttpRequest, slug: str, fiscal_year: int, code: str) -> HttpResponse:
    """``/p/<slug>/<year>/oit/<code>/``: one item's stable address (any spelling of the code is read)."""
    found, publication = _year(slug, fiscal_year)

    def build() -> dict:
        data = selectors.checklist_item(organization=found, fiscal_year=fiscal_year, code=code)
        return {"organization": selectors.organization_facts(found), "fiscal_year": fiscal_year, **data}

    return _page(request, template="public/item.html", build=build, table=_item_table,
                 filename=f"ita-{slug}-{fiscal_year}-{code}")


@public_view
def document(request: HttpRequest, slug: str, fiscal_year: int, document_id: int) -> HttpResponse:
    """An issued PDF of the published year: the stored bytes as issued (``X-Content-SHA256``)."""
    found, _publication = _year(slug, fiscal_year)
    issued = selectors.public_document(organization=found, fiscal_year=fiscal_year, document_id=document_id)
    response = HttpResponse(bytes(issued.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{issued.filename}"'
    response["X-Content-SHA256"] = issued.sha256
    response["ETag"] = f'"{issued.sha256[:32]}"'
    public_cache_headers(response)
    return response


@public_view
def evidence_file(request: HttpRequest, slug: str, fiscal_year: int, code: str, evidence_id: int) -> HttpResponse:
    """An evidence file marked public of an item marked public of the published year."""
    found, _publication = _year(slug, fiscal_year)
    evidence = selectors.public_evidence_file(organization=found, fiscal_year=fiscal_year, code=code,
                                              evidence_id=evidence_id)
    response = FileResponse(evidence.file.open("rb"), as_attachment=True,
                            filename=evidence.file.name.rsplit("/", 1)[-1])
    public_cache_headers(response)
    return response


def _absolute(request: HttpRequest, value):
    """``value`` with every "url" that is a path of this portal made absolute (for pages read elsewhere)."""
    if isinstance(value, dict):
        return {k: (request.build_absolute_uri(v) if k == "url" and isinstance(v, str) and v.startswith("/")
                    else _absolute(request, v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_absolute(request, v) for v in value]
    return value


@public_view
def embed(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """``/p/<slug>/<year>/embed/``: a plain-HTML fragment (no script, no style sheet) for the organization's own
    website: its items as anchors (``id="O25"``) linking to their stable addresses, and the issued PDFs."""
    found, publication = _year(slug, fiscal_year)

    def build() -> dict:
        return _absolute(request, selectors.year_page(organization=found, publication=publication))

    return _page(request, template="public/embed.html", build=build, table=_year_table,
                 filename=f"ita-{slug}-{fiscal_year}")


@public_view
def export(request: HttpRequest, slug: str, fiscal_year: int) -> FileResponse:
    """``/p/<slug>/<year>/export.zip``: the year as a static folder for the webmaster: ``index.html`` (the items
    as anchors linking to their stable addresses), ``documents/`` the issued PDFs, ``files/`` the public
    evidence files."""
    found, publication = _year(slug, fiscal_year)
    data = _absolute(request, selectors.year_page(organization=found, publication=publication))
    folder = f"ita-{slug}-{fiscal_year}"
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, issued in enumerate(selectors.issued_documents(
                organization=found, plan=selectors.approved_plan(organization=found, fiscal_year=fiscal_year),
                reports=selectors.approved_reports(
                    plan=selectors.approved_plan(organization=found, fiscal_year=fiscal_year)))):
            path = f"documents/{number + 1:02d}-{issued.filename}"
            archive.writestr(f"{folder}/{path}", bytes(type(issued).objects.get(pk=issued.pk).content))
            for entry in data["documents"]:
                if entry["sha256"] == issued.sha256:
                    entry["url"] = path
        for item_data in data["oit"]:
            for evidence in item_data["evidence"]:
                if evidence["kind"] == "file":
                    stored = selectors.public_evidence_file(
                        organization=found, fiscal_year=fiscal_year, code=item_data["code"],
                        evidence_id=int(evidence["url"].rstrip("/").rsplit("/", 1)[-1]))
                    path = f"files/{stored.pk}-{evidence['name']}"
                    with stored.file.open("rb") as source:
                        archive.writestr(f"{folder}/{path}", source.read())
                    evidence["url"] = path
        html = render_to_string("public/export.html", {**data, "licence": settings.ITA_OPEN_DATA_LICENCE,
                                                       "licence_url": settings.ITA_OPEN_DATA_LICENCE_URL})
        archive.writestr(f"{folder}/index.html", html)
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True, filename=f"{folder}.zip", content_type="application/zip")
    public_cache_headers(response)
    return response


@public_view
def scores(request: HttpRequest, fiscal_year: int):
    """``/p/scores/<year>.csv``: the national dataset of one fiscal year, streamed (constant memory): every
    published result — organization, kind, province, IIT, EIT, OIT, ITA, level."""
    if fiscal_year not in selectors.published_score_years():
        raise Http404
    response = stream_csv(headers=["organization", "kind", "province", "iit", "eit", "oit", "ita", "level"],
                          rows=export_rows(selectors.national_scores(fiscal_year=fiscal_year),
                                           selectors.national_score_row),
                          filename=f"ita-scores-{fiscal_year}.csv")
    response["Last-Modified"] = http_date(selectors.last_published_at(fiscal_year=fiscal_year).timestamp())
    public_cache_headers(response)
    return response


def _cached_body(request: HttpRequest, name: str, content_type: str, build: Callable[[], bytes]) -> HttpResponse:
    key = cache.page_key(request.get_host(), name)
    entry = cache.page_get(key)
    if entry is None:
        entry = _entry(build(), content_type)
        cache.page_set(key, entry)
    return _cacheable(request, entry)


def _page_number(request: HttpRequest, parameter: str = "page") -> int:
    """The page number the query string gives in ``parameter`` (1 when absent); 404 for anything but digits."""
    raw = request.GET.get(parameter, "1")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        raise Http404
    return int(raw)


def _catalog_links(base: str, number: int, pages: int) -> str:
    """The ``Link`` header of catalogue page ``number`` of ``pages`` (RFC 8288: first, prev, next, last)."""
    address = f"{base}/p/catalog.json"
    links = {"first": 1, "prev": number - 1, "next": number + 1, "last": pages}
    return ", ".join(f'<{address}?page={n}>; rel="{rel}"' for rel, n in links.items() if 1 <= n <= pages)


@public_view
def catalog_json(request: HttpRequest) -> HttpResponse:
    """``/p/catalog.json[?page=N]``: the open data catalogue (DCAT-US 1.1 JSON, which CKAN's DCAT harvester reads),
    ``ITA_PUBLIC_CATALOG_PAGE_SIZE`` datasets a page (``catalog.catalog_page``: past the last page 404, the end
    for the harvester); ``Link`` headers (RFC 8288) name the first, previous, next and last pages."""
    number = _page_number(request)
    base = request.build_absolute_uri("/")[:-1]
    key = cache.page_key(request.get_host(), "catalog", number)
    entry = cache.page_get(key)
    if entry is None:
        page = catalog.catalog_page(base=base, number=number)
        entry = _entry(json.dumps(page.document, cls=DjangoJSONEncoder, ensure_ascii=False,
                                  separators=(",", ":")).encode(),  # compact: ≈ 2 KB a dataset
                       "application/json; charset=utf-8")
        entry["link"] = _catalog_links(base, number, page.pages)
        cache.page_set(key, entry)
    response = _cacheable(request, entry)
    response["Link"] = entry["link"]
    return response


def _sitemap_body(response) -> bytes:
    return response.render().content


@public_view
def sitemap(request: HttpRequest) -> HttpResponse:
    """``/sitemap.xml``: every public page in one file while they fit in one (``PUBLIC_SITEMAP_LIMIT``, 50,000
    URLs, the protocol's limit), else the sitemap index of the sections' files (``sitemap_section``;
    public/sitemaps.py). It has no later pages (``?p=2``: 404)."""
    if _page_number(request, "p") != 1:
        raise Http404

    def build() -> bytes:
        sections = {name: section() for name, section in sitemaps.SECTIONS.items()}
        if sum(section.paginator.count for section in sections.values()) <= settings.PUBLIC_SITEMAP_LIMIT:
            return _sitemap_body(sitemap_views.sitemap(request, sections, template_name="public/sitemap.xml"))
        return _sitemap_body(sitemap_views.index(request, sections, template_name="public/sitemap_index.xml",
                                                 sitemap_url_name="public:sitemap_section"))

    return _sitemap_response(_cached_body(request, "sitemap", "application/xml; charset=utf-8", build))


@public_view
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """``/p/sitemap-<section>.xml[?p=N]``: page ``N`` of a section of the sitemap (public/sitemaps.py),
    ``PUBLIC_SITEMAP_LIMIT`` URLs a file; 404 for an unknown section or a page past its last."""
    if section not in sitemaps.SECTIONS:
        raise Http404
    number = _page_number(request, "p")

    def build() -> bytes:
        return _sitemap_body(sitemap_views.sitemap(request, {section: sitemaps.SECTIONS[section]()},
                                                   section=section, template_name="public/sitemap.xml"))

    return _sitemap_response(_cached_body(request, f"sitemap-{section}-{number}", "application/xml; charset=utf-8",
                                          build))


def _sitemap_response(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"  # the files themselves are not search results (as Django's views say)
    return response


@public_view
def robots(request: HttpRequest) -> HttpResponse:
    """``/robots.txt``: the public pages may be indexed, the rest of the portal (behind its log-in) not."""
    body = render_to_string("public/robots.txt", {"sitemap": request.build_absolute_uri("/sitemap.xml")})
    return _cacheable(request, _entry(body.encode(), "text/plain; charset=utf-8"))


# --- the admin's page ------------------------------------------------------------------------------------------

def _candidate_years(organization: Organization) -> list[int]:
    years = set(Assessment.objects.filter(organization=organization).values_list("fiscal_year", flat=True))
    years |= set(MeasurePlan.objects.filter(organization=organization).values_list("fiscal_year", flat=True))
    years |= set(Checklist.objects.filter(organization=organization).values_list("fiscal_year", flat=True))
    years |= set(Publication.objects.filter(organization=organization).values_list("fiscal_year", flat=True))
    return sorted(years, reverse=True)


def manage(request: HttpRequest, slug: str) -> HttpResponse:
    """``/organizations/<slug>/public/``: which years are public; the organization's admins publish and withdraw a
    year (POST ``action`` publish|withdraw, ``fiscal_year``; a confirmation page first, then ``confirm=1``).
    Its other members and overseers read it; other organizations 404."""
    organization = get_object_or_404(organizations_for_user(user=request.user), slug=slug)
    can_manage = rights_of(user=request.user, organization=organization).can_manage
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            fiscal_year = int(request.POST.get("fiscal_year", ""))
        except ValueError:
            fiscal_year = 0
        if action not in ("publish", "withdraw"):
            raise Http404
        if request.POST.get("confirm") != "1":
            return render(request, "public/manage_confirm.html",
                          {"organization": organization, "action": action, "fiscal_year": fiscal_year})
        service = services.year_publish if action == "publish" else services.year_withdraw
        try:
            service(organization=organization, fiscal_year=fiscal_year, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, (_("Fiscal year %(year)s is now public.") if action == "publish"
                                       else _("Fiscal year %(year)s was withdrawn from the public pages."))
                             % {"year": fiscal_year})
        return redirect("public:manage", organization.slug)
    publications = {p.fiscal_year: p for p in Publication.objects.filter(organization=organization)}
    rows = [{"fiscal_year": y, "publication": publications.get(y)} for y in _candidate_years(organization)]
    return render(request, "public/manage.html",
                  {"organization": organization, "rows": rows, "can_manage": can_manage})


@login_not_required
@csrf_exempt
def verify(request: HttpRequest) -> HttpResponse:
    """``/p/verify/``: anyone uploads a PDF to read whether this portal issued it and whether its signature is
    intact and trusted (``reports.signing.verify_pdf``, the signed-in verify page's check); nothing is stored.
    CSRF-exempt because the public tree has no cookies to carry a token, and a forged upload changes nothing; the
    upload limits of every form apply (``core.upload_limits``, ``VerifyPdfForm``)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = VerifyPdfForm(request.POST or None, request.FILES or None)
    context = {"form": form, "signing_available": signing.signing_available(), "page_path": ""}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["pdf"]
        result = signing.verify_pdf(upload.read())
        context |= {"filename": upload.name, "result": result, "report": signing.verification_report(result),
                    "headline": signing.verification_headline(result)}
    context |= {"licence": settings.ITA_OPEN_DATA_LICENCE, "licence_url": settings.ITA_OPEN_DATA_LICENCE_URL}
    response = HttpResponse(render_to_string("public/verify.html", context))
    if request.method == "POST":
        add_never_cache_headers(response)
    else:
        public_cache_headers(response)
    return response
