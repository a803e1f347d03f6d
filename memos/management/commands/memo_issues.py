"""``manage.py memo_issues [--organization SLUG] [--retry]``: every number of the outgoing register whose document is
not stored (issue 18 §4), with why — being issued, stuck (no progress for ``MEMO_ISSUE_STALE_SECONDS``), failed with
its error, approved but never issued, or numbered on the memo form without an approval. ``--retry`` starts the
failed and stuck issues again (as an admin's button does). Exit status 1 while any is failed, stuck or approved
without a document, so that cron or a monitor reports it; 0 otherwise."""
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from memos.choices import IssueStatus, MemoState
from memos.issuing import memo_issue_retry
from memos.models import MemoIssue
from memos.selectors import numbers_without_document
from organizations.models import Organization


class Command(BaseCommand):
    help = ("List the numbers of the outgoing register whose document is not stored (being issued, stuck, failed, "
            "never issued); --retry starts the failed and stuck issues again. Exit status 1 while any needs care.")

    def add_arguments(self, parser):
        parser.add_argument("--organization", metavar="SLUG", help="only this organization")
        parser.add_argument("--retry", action="store_true", help="start the failed and stuck issues again")

    def handle(self, *args, organization: str | None = None, retry: bool = False, **options):
        with translation.override("th"):
            scope = None
            if organization:
                scope = Organization.objects.filter(slug=organization).first()
                if scope is None:
                    raise CommandError(_("No organization has the slug %(slug)s.") % {"slug": organization})
            memos = list(numbers_without_document(organization=scope))
            issues = MemoIssue.objects.defer("html").in_bulk([m.issue_id for m in memos if m.issue_id])
            needs_care = 0
            for memo in memos:
                issue = issues.get(memo.issue_id)
                if retry and issue is not None and issue.can_retry:
                    issue = memo_issue_retry(issue=issue)
                reason, bad = self._reason(memo, issue)
                needs_care += bad
                self.stdout.write(f"{memo.organization.slug}\t{memo.document_number}\t{reason}")
            self.stdout.write(_("%(count)s numbers without their document, %(care)s needing care.")
                              % {"count": len(memos), "care": needs_care})
            if needs_care:
                raise CommandError(_("Some numbers of the outgoing register lack their document: retry them on the "
                                     "memo's page or with manage.py memo_issues --retry, and check that the worker "
                                     "(manage.py db_worker) runs."))

    @staticmethod
    def _reason(memo, issue: MemoIssue | None) -> tuple[str, bool]:
        """(why the number has no document, whether someone must act)."""
        if issue is None:
            if memo.state == MemoState.APPROVED:
                return _("approved, but no document was issued"), True
            return _("numbered on the memo form; nothing is issued until the memo is approved"), False
        if issue.status == IssueStatus.FAILED:
            return _("issuing failed: %(error)s") % {"error": issue.error}, True
        if issue.is_stale:
            return _("stuck: no progress since it was queued; is the worker running?"), True
        return _("being issued (version %(version)s, attempt %(attempt)s)") % {
            "version": issue.version, "attempt": max(issue.attempts, 1)}, False
