"""Assessment helpers: the seed 001 2568 form post and the score-import files (rows, CSV/XLSX bytes, the
command, the upload page, the database state an import may change)."""
import io

import openpyxl
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments.importers import COLUMNS
from assessments.models import Assessment, IndicatorScore
from organizations.models import Organization

SEED_001_2568 = {1: "๙๙.๑๙", 2: "๙๙.๘๔", 3: "๑๐๐", 4: "๙๘.๓๗", 5: "๙๙.๑๘", 6: "99.08", 7: "99.16", 8: "99.16",
                 9: "100", 10: "100.00"}


def _post(client, slug: str, year: int, **fields):
    data = {"fiscal_year": str(year), **{f"indicator_{n}": v for n, v in SEED_001_2568.items()}, **fields}
    return client.post(reverse("assessments:assessment_edit", args=[slug, year]), data)


HEADER = [column.name for column in COLUMNS]


# Indicators 1–10 of เทศบาลตำบลโป่งน้ำร้อน 2566 (seed 000): computed IIT 95.65, EIT 92.85, OIT 100 → ITA 96.55.
PONG_NAM_RON = ["97.75", "94.20", "96.17", "94.72", "95.42", "92.16", "95.32", "91.06", "100.00", "100.00"]


def row(fiscal_year="2567", organization="เทศบาลตำบลบ้านใหม่ทดสอบ", kind="ทต.", amphoe="ลำปลายมาศ",
        province="บุรีรัมย์", indicators=None, iit="", eit="", oit="", ita="", level="", rank="") -> list[str]:
    """One row in the order of ``HEADER``."""
    return [fiscal_year, organization, kind, amphoe, province, *(indicators or [""] * 10), iit, eit, oit, ita, level,
            rank]


def csv_bytes(rows, header=HEADER, bom=True) -> bytes:
    def cell(value):
        return f'"{value}"' if "," in str(value) else str(value)
    text = "\r\n".join(",".join(cell(v) for v in line) for line in [header, *rows]) + "\r\n"
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def xlsx_bytes(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in [header, *rows]:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_command(tmp_path, content: bytes, *options, name="scores.csv"):
    """Run ``import_scores``; returns (stdout, stderr) and raises CommandError as the command does."""
    path = tmp_path / name
    path.write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_scores", str(path), *options, stdout=out, stderr=err)
    except CommandError as error:
        error.stdout, error.stderr = out.getvalue(), err.getvalue()
        raise
    return out.getvalue(), err.getvalue()


def database_state() -> tuple:
    """Everything an import may write, to compare before and after."""
    return (
        sorted(Organization.objects.values_list("slug", "name", "kind", "amphoe", "province")),
        sorted(Assessment.objects.values_list(
            "organization__slug", "fiscal_year", "official_score", "official_level", "official_level_letter",
            "official_iit", "official_eit", "official_oit", "rank", "rank_scope", "notes", "computed_score", "score")),
        sorted(IndicatorScore.objects.values_list("assessment__organization__slug", "assessment__fiscal_year",
                                                  "indicator__number", "score")),
    )


def _upload(client, content: bytes, name="scores.csv", **options):
    data = {"file": io.BytesIO(content), **{k: "on" for k, v in options.items() if v}}
    data["file"].name = name
    return client.post(reverse("assessments:score_import"), data)
