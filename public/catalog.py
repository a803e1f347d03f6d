"""The open data catalogue ``/p/catalog.json`` (issue 21 §2; the sitemap: ``public.sitemaps``).

The catalogue is DCAT-US 1.1 JSON ("Project Open Data", https://project-open-data.cio.gov/v1.1/schema), the
format CKAN's harvester ``ckanext-dcat`` reads as "DCAT JSON". The Thai GD Catalog fields map onto it: title →
``title``, description → ``description``, publisher → ``publisher.name``, licence → ``license``, update
frequency → ``accrualPeriodicity`` (ISO 8601: ``R/P1Y`` yearly, ``irregular``), resources with formats →
``distribution`` (``format``, ``mediaType``, ``downloadURL``). The required fields the tests check are written
as a JSON Schema in ``tests/public/test_open_data.py``. With every organization publishing (8,300) one document
would be 16 MB: the catalogue is paged (``catalog_page``), as ckanext-dcat's JSON harvester pages."""
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _

from . import selectors

DCAT_US = "https://project-open-data.cio.gov/v1.1/schema"
KEYWORDS = ["ITA", "คุณธรรมและความโปร่งใส", "องค์กรปกครองส่วนท้องถิ่น"]


def _distribution(title: str, fmt: str, media_type: str, url: str) -> dict:
    return {"@type": "dcat:Distribution", "title": title, "format": fmt, "mediaType": media_type,
            "downloadURL": url}


def _licence() -> str:
    return settings.ITA_OPEN_DATA_LICENCE_URL or settings.ITA_OPEN_DATA_LICENCE


def _scores_dataset(base: str, fiscal_year: int) -> dict:
    url = f"{base}/p/scores/{fiscal_year}.csv"
    return {
        "@type": "dcat:Dataset", "identifier": url,
        "title": _("Published ITA scores, fiscal year %(year)s") % {"year": fiscal_year},
        "description": _("The ITA results that local governments published on this portal for fiscal year "
                         "%(year)s: organization, kind, province, IIT, EIT and OIT scores, ITA score and level.")
        % {"year": fiscal_year},
        "keyword": KEYWORDS, "modified": selectors.last_published_at(fiscal_year=fiscal_year).date().isoformat(),
        "publisher": {"@type": "org:Organization", "name": settings.ITA_OPEN_DATA_PUBLISHER},
        "accessLevel": "public", "license": _licence(), "rights": settings.ITA_OPEN_DATA_LICENCE,
        "accrualPeriodicity": "R/P1Y", "temporal": str(fiscal_year), "language": ["th"],
        "distribution": [_distribution(_("Scores (CSV)"), "CSV", "text/csv", url)],
    }


def _year_dataset(base: str, slug: str, name: str, fiscal_year: int, published_at) -> dict:
    page = f"{base}/p/{slug}/{fiscal_year}/"
    return {
        "@type": "dcat:Dataset", "identifier": page,
        "title": _("ITA disclosure of %(name)s, fiscal year %(year)s") % {"name": name, "year": fiscal_year},
        "description": _("What %(name)s publishes for the ITA of fiscal year %(year)s: the OIT items with their "
                         "links, the measures and their analysis (O25), the progress reports (O26) and the "
                         "signed documents.") % {"name": name, "year": fiscal_year},
        "keyword": KEYWORDS, "modified": published_at.date().isoformat(),
        "publisher": {"@type": "org:Organization", "name": name},
        "accessLevel": "public", "license": _licence(), "rights": settings.ITA_OPEN_DATA_LICENCE,
        "accrualPeriodicity": "irregular", "temporal": str(fiscal_year), "language": ["th"], "landingPage": page,
        "distribution": [
            _distribution(_("Web page (HTML)"), "HTML", "text/html", page),
            _distribution(_("Data (JSON)"), "JSON", "application/json", f"{page}?format=json"),
            _distribution(_("Data (CSV)"), "CSV", "text/csv", f"{page}?format=csv"),
            _distribution(_("Static folder (ZIP)"), "ZIP", "application/zip", f"{page}export.zip"),
        ],
    }


@dataclass(frozen=True)
class CatalogPage:
    """One page of the catalogue: its DCAT-US document, its number and the number of pages (≥ 1)."""

    document: dict
    number: int
    pages: int


def catalog_page(*, base: str, number: int = 1, size: int | None = None) -> CatalogPage:
    """Page ``number`` (from 1) of the catalogue, ``size`` datasets a page (``ITA_PUBLIC_CATALOG_PAGE_SIZE``,
    1,000): the datasets of the national scores first (one per fiscal year), then one per published organization
    year, by organization address and latest year first — a stable order, so a harvester walking the pages meets
    each dataset once. ``base`` is the portal's address without the trailing slash ("https://ita.example.go.th").

    Paged the way CKAN's ``ckanext-dcat`` "DCAT JSON" harvester reads a catalogue: the address as given is page 1,
    then ``?page=2``, ``?page=3`` … until a page answers 404 (``Http404`` here past the last page) or repeats the
    one before. Raises ``Http404`` for a number below 1 or past the last page (page 1 always exists)."""
    size = size or settings.PUBLIC_CATALOG_PAGE_SIZE
    years = selectors.published_score_years()
    pairs = selectors.published_pairs()
    total = len(years) + pairs.count()
    pages = max(1, -(-total // size))
    if not 1 <= number <= pages:
        raise Http404
    start, stop = (number - 1) * size, number * size
    datasets = [_scores_dataset(base, year) for year in years[start:stop]]
    first, last = max(0, start - len(years)), max(0, stop - len(years))
    datasets += [_year_dataset(base, slug, name, year, at) for slug, name, year, at in pairs[first:last]]
    document = {"@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld", "@type": "dcat:Catalog",
                "conformsTo": DCAT_US, "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
                "dataset": datasets}
    return CatalogPage(document, number, pages)
