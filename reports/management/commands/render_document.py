from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measures.choices import Round
from measures.models import MeasurePlan
from reports.contents import DocumentUnavailable, Kind, build_document
from reports.documents import document_html, render_document
from reports.signing import SigningError, sign_pdf


class Command(BaseCommand):
    help = (
        "Print a document of an organization's fiscal year as PDF (or HTML with --html). Kinds: memo (the cover "
        "memo, or the memo of the report of --round; --attach adds a document after it), measures, progress, "
        "annual, status. The PDF is a tagged PDF/A-3a, as downloaded from the portal, unless --no-archival."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=Kind.values)
        parser.add_argument("--org", required=True, help="organization slug")
        parser.add_argument("--year", required=True, type=int, help="fiscal year (BE) of the measure plan, e.g. 2567")
        parser.add_argument("--round", choices=Round.values, help="the progress report: six_month or annual")
        parser.add_argument("--attach", choices=[k for k in Kind.values if k != Kind.MEMO],
                            help="memo only: print this document after the memo, in the same file")
        parser.add_argument("--html", action="store_true", help="write the HTML preview instead of the PDF")
        parser.add_argument("--sign", action="store_true",
                            help="sign the PDF (PAdES) with the organization's or the deployment's certificate "
                                 "(ITA_SIGNING_PKCS12); fails when none is configured")
        parser.add_argument("--no-archival", dest="archival", action="store_false",
                            help="a plain PDF instead of the tagged PDF/A-3a that downloads get")
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args, kind, org, year, round, attach, html, sign, archival, output, **options):
        if attach and kind != Kind.MEMO:
            raise CommandError("--attach goes with the memo kind only.")
        if sign and html:
            raise CommandError("--sign signs the PDF: it does not go with --html.")
        plan = MeasurePlan.objects.select_related("organization").filter(organization__slug=org,
                                                                         fiscal_year=year).first()
        if plan is None:
            raise CommandError(f"No measure plan of {org!r} for fiscal year {year}.")
        try:
            document = build_document(plan, kind, round=round, attach=attach)
        except DocumentUnavailable as error:
            raise CommandError(str(error)) from error
        if html:
            output.write_text(document_html(document, preview=True), encoding="utf-8")
        elif sign:
            self._write_signed(render_document(document, archival=archival).content, plan.organization, output)
        else:
            output.write_bytes(render_document(document, archival=archival).content)
        self.stdout.write(f"Wrote {output} ({output.stat().st_size} bytes)")

    def _write_signed(self, content: bytes, organization, output: Path) -> None:
        try:
            result = sign_pdf(content, organization=organization)
        except SigningError as error:
            raise CommandError(str(error)) from error
        if not result.signed:
            raise CommandError(f"Not signed: no certificate is configured (ITA_SIGNING_PKCS12). {result.reason}")
        output.write_bytes(result.content)
        self.stdout.write(f"Signed ({result.level}) by {result.signer_name}; SHA-256 {result.sha256}")
