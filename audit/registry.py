"""Which records the audit log follows, and the organization each one belongs to.

django-auditlog writes a ``LogEntry`` (who — the request's user —, from which address, when, the action, and the
changed fields with their old and new values) whenever a registered model is created, changed or deleted through
the ORM's ``save``/``delete``. Services that write in bulk record their changes themselves (e.g. indicator scores:
``assessments.services.assessment_scores_set``). Each entry carries ``additional_data = {"organization_id": …}``
so that an organization's log is one indexed-by-key filter (``audit.selectors.organization_log``).

Followed (issue 12): organization settings, departments, officials, memberships and oversight scopes; results
(assessments, indicator and question scores) and analyses; plans and progress reports (their approvals and
reopens, as changes of ``approved_at``/``approved_by``); memos and their comment blocks (register numbers); the
issuing of approved memos (attempts, failures and an admin's retry); OIT checklists (made, marked ready), their
entries and evidence; the years published on and withdrawn from the public pages. Log-ins, failed log-ins and
log-outs are recorded by ``audit.receivers``; downloads of issued memos by the view that serves them.
"""
from collections.abc import Callable

from auditlog.registry import auditlog
from django.apps import apps

# model label → how to reach the organization's id from an instance (no query where the id is on the row).
ORGANIZATION_OF: dict[str, Callable] = {
    "organizations.Organization": lambda o: o.pk,
    "organizations.Department": lambda o: o.organization_id,
    "organizations.Official": lambda o: o.organization_id,
    "organizations.Membership": lambda o: o.organization_id,
    "assessments.Assessment": lambda o: o.organization_id,
    "assessments.IndicatorScore": lambda o: o.assessment.organization_id,
    "assessments.QuestionScore": lambda o: o.assessment.organization_id,
    "assessments.Analysis": lambda o: o.assessment.organization_id,
    "measures.MeasurePlan": lambda o: o.organization_id,
    "measures.ProgressReport": lambda o: o.plan.organization_id,
    "memos.Memo": lambda o: o.organization_id,
    "memos.MemoComment": lambda o: o.memo.organization_id,
    "memos.RoutingStep": lambda o: o.organization_id,
    "memos.IssuedDocument": lambda o: o.organization_id,
    "memos.MemoIssue": lambda o: o.organization_id,  # issuing after approval: attempts, failures, retries
    "oit.Checklist": lambda o: o.organization_id,  # made, copied, marked ready to submit (by whom, when)
    "oit.ChecklistEntry": lambda o: o.checklist.organization_id,
    "oit.Evidence": lambda o: o.entry.checklist.organization_id,
    "public.Publication": lambda o: o.organization_id,  # a year published on, or withdrawn from, the public pages
}
# Fields whose values never go into the log (secrets: the log says they changed, through ``secret_mask``), and
# bulky ones that only repeat what is stored.
MASKED: dict[str, list[str]] = {"organizations.Organization": ["signing_passphrase", "signing_pkcs12"]}
SECRET_MARK = "********"
EXCLUDED: dict[str, list[str]] = {
    "memos.IssuedDocument": ["content"],  # the PDF bytes; its SHA-256 is logged
    "memos.MemoIssue": ["html"],  # the frozen document as approved; the issued PDF's SHA-256 is logged
    # The approval state moves with approved_at/approved_by, which the entry shows; its transitions are in the
    # approval log (approvals.Transition).
    "measures.MeasurePlan": ["state"],
    "measures.ProgressReport": ["state"],
}
# Entries on an issued document that are not changes are its downloads (memos.views sends auditlog's
# ``accessed`` signal for each one).
EXTRA: dict[str, dict] = {"memos.IssuedDocument": {"event": "download", "document": True}}


def secret_mask(value: str) -> str:
    """What the log keeps of a masked field's value (``MASKED``; auditlog's ``mask_callable``): "" when there was
    none (auditlog passes an empty value as "" or "None"), else ``SECRET_MARK`` — no character of the secret and
    not its length. auditlog's own mask (``auditlog.diff.mask_str``) keeps the second half of the value."""
    return "" if value in ("", "None") else SECRET_MARK


def _additional_data(self) -> dict:
    return {"organization_id": ORGANIZATION_OF[self._meta.label](self)} | EXTRA.get(self._meta.label, {})


def register_models() -> None:
    """Register every model of ``ORGANIZATION_OF`` with django-auditlog (once, at start-up)."""
    for label in ORGANIZATION_OF:
        model = apps.get_model(label)
        if auditlog.contains(model):
            continue
        fields = [f.name for f in model._meta.concrete_fields]  # the row's own columns, not reverse relations
        model.get_additional_data = _additional_data
        auditlog.register(model, include_fields=[f for f in fields if f not in EXCLUDED.get(label, [])],
                          mask_fields=[f for f in MASKED.get(label, []) if f in fields],
                          mask_callable="audit.registry.secret_mask")
