"""``manage.py verify_pdf FILE``: what the verify page says about a PDF; exit 0 only for a signed, intact and
trusted file (``reports.signing.VerifyResult.ok``), 1 otherwise."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from reports.signing import SigningError, verification_report, verify_pdf


class Command(BaseCommand):
    help = ("Verify a PDF: issued by this portal (its SHA-256 in the register), signed, intact, trusted, signer and "
            "signing time. Exit status 0 only for a signed, intact and trusted PDF.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"อ่านไฟล์ {file} ไม่ได้: {error.strerror}") from error
        try:
            result = verify_pdf(content)
        except SigningError as error:  # the trust roots configured cannot be read
            raise CommandError(str(error)) from error
        with translation.override("th"):
            for label, value in verification_report(result):
                self.stdout.write(f"{label}: {value}")
            if not result.ok:
                raise CommandError("ไม่ผ่านการตรวจสอบ: ไฟล์นี้ไม่ได้ลงลายมือชื่อดิจิทัล ถูกแก้ไข หรือใบรับรองไม่น่าเชื่อถือ")
        self.stdout.write("ผ่านการตรวจสอบ: ลงลายมือชื่อดิจิทัล ไฟล์ครบถ้วน และใบรับรองเชื่อถือได้")
