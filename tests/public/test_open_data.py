"""Open data (issue 21 §2): JSON and CSV twins, the catalogue against its schema, the national scores per year."""
import csv
import io
import json
from decimal import Decimal

import jsonschema
import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from public.models import Publication
from tests.factories import OrganizationFactory
from tests.helpers.memos import committed
from tests.helpers.public import YEAR, YearData

# The fields the catalogue promises (public/catalog.py): DCAT-US 1.1 ("Project Open Data") as CKAN's ckanext-dcat
# harvests it, with the Thai GD Catalog's title, description, publisher, licence, update frequency and resources
# with their formats required.
DISTRIBUTION = {
    "type": "object",
    "required": ["title", "format", "mediaType", "downloadURL"],
    "properties": {"title": {"type": "string", "minLength": 1}, "format": {"enum": ["CSV", "JSON", "HTML", "ZIP"]},
                   "mediaType": {"type": "string", "pattern": "^[a-z]+/[a-z.+-]+$"},
                   "downloadURL": {"type": "string", "format": "uri", "pattern": "^https?://"}},
}
DATASET = {
    "type": "object",
    "required": ["@type", "identifier", "title", "description", "keyword", "modified", "publisher", "accessLevel",
                 "license", "accrualPeriodicity", "distribution"],
    "properties": {
        "@type": {"const": "dcat:Dataset"}, "identifier": {"type": "string", "minLength": 1},
        "title": {"type": "string", "minLength": 1}, "description": {"type": "string", "minLength": 1},
        "keyword": {"type": "array", "minItems": 1, "items": {"type": "string"}},
        "modified": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "publisher": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string",
                                                                                      "minLength": 1}}},
        "accessLevel": {"const": "public"}, "license": {"type": "string", "minLength": 1},
        "accrualPeriodicity": {"type": "string", "pattern": r"^(R/P\d+[YMWD]|irregular)$"},
        "distribution": {"type": "array", "minItems": 1, "items": DISTRIBUTION},
    },
}
CATALOG_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["@type", "conformsTo", "dataset"],
    "properties": {"@type": {"const": "dcat:Catalog"},
                   "conformsTo": {"const": "https://project-open-data.cio.gov/v1.1/schema"},
                   "dataset": {"type": "array", "items": DATASET}},
}


@pytest.fixture
def year(db) -> YearData:
    data = YearData("open-data")
    with committed():
        data.publish()
    return data


def _csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_year_page_has_a_json_twin_with_the_same_data(client, year):
    data = json.loads(client.get(f"{year.urls()['year']}?format=json").content)
    assert data["organization"]["name"] == "เทศบาลตำบลสาธารณะทดสอบ"
    assert data["scores"] == {"iit": "95.00", "eit": "92.10", "oit": "88.00", "ita": "91.40",
                              "level": Assessment.objects.get(organization=year.organization, fiscal_year=YEAR).level}
    assert [item["code"] for item in data["oit"]] == ["O1", "O25"]
    assert data["oit"][0]["url"] == "/p/open-data/2569/oit/O1/"
    assert data["plan"]["measures"] == [{
        "number": 1, "title": "เผยแพร่ข้อมูลการจัดซื้อจัดจ้างทุกเดือน", "issue": "", "indicators": [],
        "steps": ["รวบรวมข้อมูลจัดซื้อจัดจ้าง", "ขึ้นเว็บไซต์ภายในวันที่ 10"], "owners": ["สำนักปลัด"],
        "timeframe": "ตุลาคม 2568 – กันยายน 2569", "monitoring": ""}]
    assert [(r["round"], [e["result"] for e in r["entries"]]) for r in data["reports"]] == [
        ("six_month", ["เผยแพร่แล้ว 6 เดือน"])]
    assert [d["sha256"] for d in data["documents"]] == [year.document.sha256]
    assert data["licence"] == "Open Government Licence – Thailand"


def test_the_csv_twins_are_rows_of_the_same_data(client, year):
    rows = _csv(client.get(f"{year.urls()['organization']}?format=csv"))
    assert rows == [["fiscal_year", "iit", "eit", "oit", "ita", "level", "target", "url"],
                    ["2569", "95.00", "92.10", "88.00", "91.40",
                     Assessment.objects.get(organization=year.organization, fiscal_year=YEAR).level, "85.00",
                     "/p/open-data/2569/"]]
    rows = _csv(client.get(f"{year.urls()['year']}?format=csv"))
    assert rows[0] == ["section", "code", "title", "detail", "owners", "timeframe", "status", "url"]
    assert ["measure", "1", "เผยแพร่ข้อมูลการจัดซื้อจัดจ้างทุกเดือน",
            "รวบรวมข้อมูลจัดซื้อจัดจ้าง / ขึ้นเว็บไซต์ภายในวันที่ 10", "สำนักปลัด", "ตุลาคม 2568 – กันยายน 2569",
            "", ""] in rows
    assert ["progress_six_month", "1", "เผยแพร่ข้อมูลการจัดซื้อจัดจ้างทุกเดือน", "เผยแพร่แล้ว 6 เดือน", "", "",
            "อยู่ระหว่างดำเนินการ", ""] in rows
    rows = _csv(client.get(f"{year.urls()['item']}?format=csv"))
    assert rows[1] == ["link", "O1", "โครงสร้าง หน้าที่และอำนาจ", "เมนูข้อมูลพื้นฐาน", "https://example.go.th/o1"]
    assert client.get(f"{year.urls()['year']}?format=xml").status_code == 404


def test_csv_cells_that_spreadsheets_would_run_are_neutralised(client, year):
    year.entries["O1"].where = "=HYPERLINK(\"http://evil\")"
    year.entries["O1"].save()
    rows = _csv(client.get(f"{year.urls()['item']}?format=csv"))
    assert rows[1][3] == "'=HYPERLINK(\"http://evil\")"


def test_the_catalogue_validates_against_its_schema(client, year):
    catalog = json.loads(client.get(reverse("public:catalog")).content)
    jsonschema.validate(catalog, CATALOG_SCHEMA, format_checker=jsonschema.FormatChecker())
    by_id = {d["identifier"]: d for d in catalog["dataset"]}
    scores = by_id[f"http://testserver/p/scores/{YEAR}.csv"]
    assert scores["title"] == "คะแนน ITA ที่เผยแพร่ ปีงบประมาณ 2569"
    assert scores["accrualPeriodicity"] == "R/P1Y" and scores["license"] == "Open Government Licence – Thailand"
    page = by_id["http://testserver/p/open-data/2569/"]
    assert page["publisher"] == {"@type": "org:Organization", "name": "เทศบาลตำบลสาธารณะทดสอบ"}
    assert [d["format"] for d in page["distribution"]] == ["HTML", "JSON", "CSV", "ZIP"]
    with pytest.raises(jsonschema.ValidationError):  # the schema can fail
        jsonschema.validate({**catalog, "dataset": [{**page, "license": ""}]}, CATALOG_SCHEMA)


def _harvest(client) -> tuple[list[str], list[str]]:
    """What CKAN's ckanext-dcat "DCAT JSON" harvester gathers (``DCATJSONHarvester.gather_stage``): the address as
    given, then ``?page=2``, ``?page=3`` … until a page after the first answers 404, has no dataset, or repeats
    the one before; every page validated against the schema. (identifiers in order, the addresses fetched)"""
    identifiers, fetched, previous, page = [], [], None, 1
    while True:
        url = reverse("public:catalog") + (f"?page={page}" if page > 1 else "")
        response = client.get(url)
        fetched.append(url)
        if response.status_code == 404 and page > 1:
            break
        assert response.status_code == 200
        document = json.loads(response.content)
        jsonschema.validate(document, CATALOG_SCHEMA, format_checker=jsonschema.FormatChecker())
        batch = [d["identifier"] for d in document["dataset"]]
        if not batch or batch == previous:
            break
        identifiers += batch
        previous, page = batch, page + 1
    return identifiers, fetched


def test_the_catalogue_is_paged_as_ckans_dcat_json_harvester_reads_it(client, year, settings):
    settings.PUBLIC_CATALOG_PAGE_SIZE = 2
    for number in range(3):  # 1 + 1 + 3 = 5 datasets: scores of 2569, open-data and three more organization years
        Publication.objects.create(organization=OrganizationFactory(slug=f"paged-{number}"), fiscal_year=YEAR,
                                   published_at=timezone.now())
    identifiers, fetched = _harvest(client)
    assert identifiers == [f"http://testserver/p/scores/{YEAR}.csv", "http://testserver/p/open-data/2569/",
                           "http://testserver/p/paged-0/2569/", "http://testserver/p/paged-1/2569/",
                           "http://testserver/p/paged-2/2569/"]
    assert fetched == ["/p/catalog.json", "/p/catalog.json?page=2", "/p/catalog.json?page=3",
                       "/p/catalog.json?page=4"]  # 3 pages, then 404
    response = client.get("/p/catalog.json?page=2")
    assert response["Link"] == ('<http://testserver/p/catalog.json?page=1>; rel="first", '
                                '<http://testserver/p/catalog.json?page=1>; rel="prev", '
                                '<http://testserver/p/catalog.json?page=3>; rel="next", '
                                '<http://testserver/p/catalog.json?page=3>; rel="last"')
    for bad in ["0", "-1", "x", "๒", "9999999"]:
        assert client.get(f"/p/catalog.json?page={bad}").status_code == 404, bad


def test_the_catalogue_has_a_page_when_nothing_is_published(client, db):
    response = client.get(reverse("public:catalog"))
    assert json.loads(response.content)["dataset"] == []
    assert client.get("/p/catalog.json?page=2").status_code == 404


def test_the_scores_csv_of_a_year_equals_the_published_scores_in_the_database(client, year):
    YearData("open-data-2", name="=เทศบาลตำบลสูตร")  # not published: not in the dataset
    rows = _csv(client.get(reverse("public:scores", args=[YEAR])))
    live = Publication.objects.filter(fiscal_year=YEAR, withdrawn_at__isnull=True).values("organization")
    expected = [[a.organization.name, str(a.organization.get_kind_display()), a.organization.province,
                 *(str(v) if v is not None else "" for v in (
                     a.official_iit if a.official_iit is not None else a.computed_iit,
                     a.official_eit if a.official_eit is not None else a.computed_eit,
                     a.official_oit if a.official_oit is not None else a.computed_oit, a.score)), a.level]
                for a in Assessment.objects.filter(fiscal_year=YEAR, organization__in=live)
                .order_by("organization__province", "organization__kind", "organization__name")]
    assert rows[0] == ["organization", "kind", "province", "iit", "eit", "oit", "ita", "level"]
    assert rows[1:] == expected
    assert rows[1][:7] == ["เทศบาลตำบลสาธารณะทดสอบ", "เทศบาลตำบล", "บุรีรัมย์", "95.00", "92.10", "88.00", "91.40"]
    assert Decimal(rows[1][6]) == year.result.official_score


def test_sitemap_and_robots(client, year):
    sitemap = client.get(reverse("public:sitemap")).content.decode()
    for path in ["/p/", "/p/open-data/", "/p/open-data/2569/", "/p/open-data/2569/oit/O1/",
                 "/p/open-data/2569/oit/O25/"]:
        assert f"<loc>http://testserver{path}</loc>" in sitemap
    assert "oit/O26/" not in sitemap
    robots = client.get(reverse("public:robots")).content.decode()
    assert robots == "User-agent: *\nAllow: /p/\nDisallow: /\nSitemap: http://testserver/sitemap.xml\n"
