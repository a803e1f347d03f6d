"""``manage.py send_digest [--days N] [--dry-run]``: e-mail each member of a department the measures of their
department that are overdue or due within N days (default ``settings.DIGEST_DUE_DAYS``, 7), as
``notifications.digest`` selects them. deploy/ita-portal-digest.timer runs it every morning. Prints how many e-mails
were sent (Thai); with ``--dry-run`` who would get one and how many measures, nothing sent. Exit status 1 when some
e-mails could not be sent (each is in the log), so that a monitor reports it."""
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.digest import digest_mails
from notifications.mail import deliver


class Command(BaseCommand):
    help = ("E-mail each member of a department the measures of their department that are overdue or due within "
            "--days days; --dry-run lists the recipients and sends nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="due within this many days (default: 7)")
        parser.add_argument("--dry-run", action="store_true", dest="dry_run", help="list, send nothing")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.DIGEST_DUE_DAYS if days is None else days
        with translation.override("th"):
            if days < 0:
                raise CommandError(_("--days takes a number of days, 0 or more."))
            mails = digest_mails(today=timezone.localdate(), days=days)
            if dry_run:
                for mail in mails:
                    self.stdout.write(f"{mail.to}\t{mail.subject}")
                self.stdout.write(_("%(count)s digests would be sent (nothing was sent).") % {"count": len(mails)})
                return
            sent = deliver(mails)
            self.stdout.write(_("%(sent)s of %(count)s digests were sent.") % {"sent": sent, "count": len(mails)})
            if sent < len(mails):
                sys.exit(1)
