"""The sitemap of the public pages (issue 21 §4), with Django's sitemaps framework (``django.contrib.sitemaps``).

The sitemaps protocol (https://www.sitemaps.org/protocol.html) allows 50,000 URLs and 50 MB a file; with 8,300
organizations the public tree has about 232,000 pages (8,300 organizations, 66,400 years, 215,800 OIT items). The
pages are in three sections, each paged ``settings.PUBLIC_SITEMAP_LIMIT`` URLs a file (50,000; about 6 MB):

- ``organizations``: ``/p/`` and each organization that published (``/p/<slug>/``);
- ``years``: each published year (``/p/<slug>/<year>/``);
- ``oit``: each OIT item marked public of a published year (``/p/<slug>/<year>/oit/<code>/``).

A section's file is ``/p/sitemap-<section>.xml``, its later files ``?p=2`` …: under ``/p/``, so a file may list
them (the protocol: a sitemap lists only addresses under its own folder) and they are public pages like the others
(no cookie, ``public.middleware``; nginx's micro-cache). ``/sitemap.xml`` is every page in one file while they fit
in one, else the sitemap index of the sections' files (``public.views.sitemap``). Each page's ``lastmod`` is when
its year was published (an organization's: its latest year's); the sections' lastmod in the index is the latest
publication. Every section reads its page of URLs in one query (with one count), ordered so a page is stable."""
from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import F, Max, QuerySet

from oit.models import ChecklistEntry

from . import selectors
from .models import Publication


class PublicSitemap(Sitemap):
    """A section of the public tree; items are tuples whose first member is the path (``location``) and last
    the last modification (``lastmod``)."""

    @property
    def limit(self) -> int:  # read per request, so a test or a deployment may lower it
        return settings.PUBLIC_SITEMAP_LIMIT

    def location(self, item: tuple) -> str:
        return item[0]

    def lastmod(self, item: tuple):
        return item[-1]

    def get_latest_lastmod(self):
        """The latest publication in force (one aggregate; Django's default would read every item)."""
        return selectors.last_published_at()


class OrganizationsSitemap(PublicSitemap):
    """``/p/`` and every organization with a year in force, by address."""

    def items(self) -> list[tuple]:
        organizations = (Publication.objects.live().values("organization__slug")
                         .annotate(modified=Max("published_at")).order_by("organization__slug")
                         .values_list("organization__slug", "modified"))
        pages = [(f"/p/{slug}/", modified) for slug, modified in organizations]
        return [("/p/", max((modified for _path, modified in pages), default=None)), *pages]


class YearsSitemap(PublicSitemap):
    """Every year in force, by organization address and year."""

    def items(self) -> QuerySet:
        return Publication.objects.live().order_by("organization__slug", "fiscal_year").values_list(
            "organization__slug", "fiscal_year", "published_at")

    def location(self, item: tuple) -> str:
        slug, fiscal_year, _at = item
        return f"/p/{slug}/{fiscal_year}/"


class OitSitemap(PublicSitemap):
    """Every OIT item marked public of a year in force, by organization address, year and the item's order."""

    def items(self) -> QuerySet:
        # One join to the year's publication (one row per organization and year): the same filter() call, so
        # both conditions hold on the same publication.
        return (ChecklistEntry.objects.filter(
                    is_public=True, checklist__organization__publications__withdrawn_at__isnull=True,
                    checklist__organization__publications__fiscal_year=F("checklist__fiscal_year"))
                .order_by("checklist__organization__slug", "checklist__fiscal_year", "item__order", "item__code")
                .values_list("checklist__organization__slug", "checklist__fiscal_year", "item__code",
                             "checklist__organization__publications__published_at"))

    def location(self, item: tuple) -> str:
        slug, fiscal_year, code, _at = item
        return f"/p/{slug}/{fiscal_year}/oit/{code}/"


SECTIONS: dict[str, type[PublicSitemap]] = {"organizations": OrganizationsSitemap, "years": YearsSitemap,
                                             "oit": OitSitemap}
