"""``manage.py rotate_signing_keys``: re-encrypt every organization's certificate passphrase with the first key of
``ITA_SIGNING_KEYS`` (``reports.signing.signing_keys_rotate``; docs/signing.md, "Rotating the key")."""
from django.core.management.base import BaseCommand, CommandError

from reports.signing import SigningError, signing_keys_rotate


class Command(BaseCommand):
    help = ("Re-encrypt every organization's stored certificate passphrase with the first key of ITA_SIGNING_KEYS "
            "(it reads tokens of any key listed, and of the old SECRET_KEY-derived key). Afterwards the other keys "
            "can be removed from ITA_SIGNING_KEYS.")

    def handle(self, *args, **options):
        try:
            rotated, unreadable = signing_keys_rotate()
        except SigningError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Re-encrypted {rotated} certificate passphrase(s) with the first key of ITA_SIGNING_KEYS.")
        if unreadable:
            raise CommandError(
                f"No key of ITA_SIGNING_KEYS decrypts the passphrase of: {', '.join(unreadable)} (left as they were; "
                "put their old key back in ITA_SIGNING_KEYS and run again, or set their certificates again).")
