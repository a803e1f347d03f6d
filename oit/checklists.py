"""An organization's OIT checklist for a fiscal year: services (writes) and selectors (reads).

Services are ``<entity>_<action>(*, typed keyword arguments)``, each one transaction, ``full_clean`` before every
save; they raise ``ValidationError`` (a Thai message, by field where the form has one) or ``PermissionDenied``
(the rule of ``entry_rights``; a forged POST changes nothing). Who may do what (organizations.permissions' roles):

| role                          | checklist page | owners, due dates | URL, where, status, evidence | mark ready |
|-------------------------------|----------------|-------------------|------------------------------|------------|
| admin (and superuser)         | read           | yes               | every entry                  | no         |
| staff                         | read           | no                | entries their department owns| no         |
| executive                     | read           | no                | no                           | yes        |
| clerk, oversight              | read           | no                | no                           | no         |
| anyone else                   | 404            | 404               | 404                          | 404        |

Rules that live here, one home each:

- ``url_on_main_website``: whether a URL is on the organization's main website (the readiness check calls it);
- ``default_due_date``: an entry's due date when the checklist is made;
- ``_checklist_reopen``: a change to an entry's content after the checklist was marked ready to submit puts it back
  in preparation, with a note (the executive confirmed the checklist as it was, so confirms it again);
- ``portal_document_kind``: which issued document of the portal an item is (``Item.portal_document``, data of the
  year's file: O25 the year's plan, O26 last year's annual report in 2569).
"""
import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import model_update
from core.thai import thai_date
from core.uploads import EVIDENCE_TYPES, files_delete_on_commit, files_removed_on_rollback, random_file_name
from measures.choices import Round
from measures.history import Change, HistoryEntry
from memos.models import IssuedDocument
from organizations.choices import Role
from organizations.models import Department, Membership, Organization
from organizations.permissions import Rights

from .choices import ChecklistState, EntryStatus, EvidenceKind, PortalDocument
from .items import ItemIndex
from .models import Checklist, ChecklistEntry, Evidence, Item, ItemList
from .results import checklist_counts_refresh

# ---------------------------------------------------------------------------------------------------------------
# Rules


def _host(address: str) -> str:
    """The host of ``address`` compared by ``url_on_main_website``: lower case, IDNA (Thai domain names as
    punycode), without a leading "www." and a trailing dot; "" when there is none. An address typed without a
    scheme ("www.khokma.go.th/oit") is read as if it had one."""
    address = (address or "").strip()
    if not address:
        return ""
    if "://" not in address:
        address = "http://" + address
    try:
        host = urlsplit(address).hostname or ""
    except ValueError:
        return ""
    host = unicodedata.normalize("NFC", host).rstrip(".")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def url_on_main_website(*, url: str, website: str) -> bool:
    """Whether ``url`` is on the main website ``website`` (``Organization.website``): True when both name the same
    host, where the scheme (http/https), the port, a leading "www.", letter case and a trailing dot make no
    difference ("http://khokma.go.th/a" is on "https://www.khokma.go.th/"). Another host is off the main website,
    a sub-domain too ("eservice.khokma.go.th" is not "khokma.go.th"): NACC asks for the link on the main website
    (../shared/domain/oit.md, grade V; whether it accepts other hosts is not known, grade N). False when either
    is empty or has no host. Raises nothing."""
    url_host, site_host = _host(url), _host(website)
    return bool(url_host) and url_host == site_host


DUE_MARGIN = dt.timedelta(days=14)


def default_due_date(item_list: ItemList) -> dt.date | None:
    """The due date an entry gets when the checklist is made: two weeks (``DUE_MARGIN``) before the year's OIT
    entry window opens (``ItemList.entry_opens``), so that the pages are on the website and checked before the
    answers are typed into NACC's system; when the opening is not known, the window's close
    (``entry_closes``); None when neither is (an admin sets due dates by hand)."""
    if item_list.entry_opens:
        return item_list.entry_opens - DUE_MARGIN
    return item_list.entry_closes


PLAN = PortalDocument.PLAN
ANNUAL_REPORT = PortalDocument.ANNUAL_REPORT


def portal_document_kind(item: Item) -> str:
    """``PLAN``, ``ANNUAL_REPORT`` or "" — which of the portal's issued documents shows ``item``: its
    ``portal_document``, stated by the year's data file (data/oit/<year>.yaml; in 2569 O25 is the analysis of last
    year's result and the measures of year N — the measure plan —, O26 the report of year N−1 — the annual report;
    ../shared/domain/oit.md)."""
    return item.portal_document


@dataclass(frozen=True)
class EntryRights:
    """What one user may do on one entry (the table of the module's docstring)."""

    read: bool
    assign: bool  # owners and due date
    content: bool  # URL, where, status, public, evidence


def entry_rights(*, rights: Rights, entry: ChecklistEntry) -> EntryRights:
    """``EntryRights`` of a user with ``rights`` (``organizations.permissions.rights_of``) in the entry's
    organization; ``entry.owners`` should be prefetched."""
    if rights.can_manage:
        return EntryRights(read=True, assign=True, content=True)
    owns = rights.role == Role.STAFF and rights.department_id is not None and any(
        d.pk == rights.department_id for d in entry.owners.all())
    return EntryRights(read=rights.role is not None, assign=False, content=owns)


# ---------------------------------------------------------------------------------------------------------------
# Services


def _with_user(instance, user):
    instance._history_user = user  # simple-history: who, when the change is not made in a request
    return instance


def checklist_create(*, organization: Organization, fiscal_year: int, user) -> Checklist:
    """Make ``organization``'s checklist of ``fiscal_year`` from that year's ``ItemList`` (its ``version`` is
    recorded): one entry per item (status not started, due ``default_due_date``) and one unticked ``Evidence``
    per element. Raises ``ValidationError`` (Thai) when the year has no item list or the organization already has
    a checklist for it."""
    with transaction.atomic():
        return _checklist_create(organization=organization, fiscal_year=fiscal_year, user=user)


def _checklist_create(*, organization, fiscal_year, user) -> Checklist:
    item_list = ItemList.objects.select_for_update().filter(fiscal_year=fiscal_year).first()
    if item_list is None:
        raise ValidationError(_("There is no OIT item list for fiscal year %(year)s yet: a national administrator "
                                "loads it first.") % {"year": fiscal_year})
    checklist = Checklist(organization=organization, fiscal_year=fiscal_year, item_list=item_list,
                          list_version=item_list.version)
    checklist.full_clean()
    checklist.save()
    due = default_due_date(item_list)
    for item in item_list.items.prefetch_related("elements").order_by("order", "code"):
        entry = _with_user(ChecklistEntry(checklist=checklist, item=item, due_date=due), user)
        entry.full_clean()
        entry.save()
        for element in item.elements.all():
            evidence = _with_user(Evidence(entry=entry, element=element), user)
            evidence.full_clean()
            evidence.save()
    checklist_counts_refresh(checklists=[checklist])  # the overview's stored counts
    return checklist


def checklist_copy(*, organization: Organization, fiscal_year: int, from_year: int, user) -> Checklist:
    """Make the checklist of ``fiscal_year`` as ``checklist_create`` does, then carry over from the organization's
    checklist of ``from_year`` the owners, URL and where-text of each item of the same topic — followed along
    ``previous_code`` year by year by ``oit.items.ItemIndex.trace`` (codes move between years; a blank
    ``previous_code`` is a new topic, which starts empty) — and each element's link or file (from the element of
    the same text, else from the element at the same position whose text is gone), left unticked until someone
    confirms it. Issued documents are not carried: they belong to their year. Raises ``ValidationError`` (Thai) as
    ``checklist_create`` does, and when there is no checklist of ``from_year``."""
    with transaction.atomic():
        source = (Checklist.objects.filter(organization=organization, fiscal_year=from_year)
                  .prefetch_related("entries__item", "entries__owners", "entries__evidence__element").first())
        if source is None:
            raise ValidationError(_("There is no OIT checklist of fiscal year %(year)s to copy from.")
                                  % {"year": from_year})
        checklist = _checklist_create(organization=organization, fiscal_year=fiscal_year, user=user)
        previous = {entry.item_id: entry for entry in source.entries.all()}
        years = range(min(from_year, fiscal_year), max(from_year, fiscal_year) + 1)
        index = ItemIndex.load(fiscal_years=years)  # the topic's item in from_year: oit.items, one home
        entries = checklist.entries.select_related("item__item_list").prefetch_related("evidence__element")
        for entry in entries:
            topic = index.trace(entry.item, from_year).item
            old = previous.get(topic.pk) if topic is not None else None
            if old is None:
                continue
            _with_user(entry, user)
            model_update(entry, fields=["url", "where", "owners"],
                         data={"url": old.url, "where": old.where, "owners": list(old.owners.all())})
            _evidence_carry(entry=entry, old=old, user=user)
        return checklist


def _evidence_carry(*, entry: ChecklistEntry, old: ChecklistEntry, user) -> None:
    news = list(entry.evidence.all())
    new_texts = {e.element.text.strip() for e in news}
    by_text = {e.element.text.strip(): e for e in old.evidence.all()}
    by_order = {e.element.order: e for e in old.evidence.all() if e.element.text.strip() not in new_texts}
    for evidence in news:
        text = evidence.element.text.strip()
        match = by_text[text] if text in by_text else by_order.get(evidence.element.order)
        if match is None or match.kind not in (EvidenceKind.URL, EvidenceKind.FILE):
            continue
        _with_user(evidence, user)
        model_update(evidence, fields=["kind", "url", "file", "file_name", "is_public"],
                     data={"kind": match.kind, "url": match.url, "file": match.file.name,
                           "file_name": match.file_name, "is_public": match.is_public})


@dataclass
class EvidenceInput:
    """One element's evidence as posted: the cleaned data of the element's form (``done``, ``kind``, ``url``,
    ``file`` — an upload cleaned by ``core.forms.EvidenceFileField``, None to keep, False to clear —,
    ``document``, ``is_public``)."""

    evidence: Evidence
    data: dict = field(default_factory=dict)


ENTRY_ASSIGN_FIELDS = ["owners", "due_date"]
ENTRY_CONTENT_FIELDS = ["url", "where", "status", "is_public"]


def entry_update(*, entry: ChecklistEntry, rights: Rights, user, data: dict,
                 evidence: list[EvidenceInput]) -> ChecklistEntry:
    """Save one entry and its elements' evidence, all or nothing. ``data`` holds the entry's fields; those the
    user may not change (``entry_rights``: owners and due date are for admins) are ignored, and
    ``PermissionDenied`` is raised when the user may change nothing. A ticked element needs its evidence: a
    link, a file or an issued document of the organization (``ValidationError`` by element form prefix and field,
    Thai). A new file is stored under a random name with its detected extension; a replaced one is deleted after
    the commit; the files written are deleted on a rollback. A change to the entry's content puts a checklist
    marked ready to submit back in preparation (``_checklist_reopen``)."""
    allowed = entry_rights(rights=rights, entry=entry)
    if not allowed.content:
        raise PermissionDenied
    with files_removed_on_rollback() as written, transaction.atomic():
        locked = ChecklistEntry.objects.select_for_update().get(pk=entry.pk)
        _with_user(locked, user)
        content_changed = any(name in data and getattr(locked, name) != data[name] for name in ENTRY_CONTENT_FIELDS)
        fields = ENTRY_CONTENT_FIELDS + (ENTRY_ASSIGN_FIELDS if allowed.assign else [])
        model_update(locked, fields=fields, data=data)
        replaced = []
        for row in evidence:
            if row.evidence.entry_id != entry.pk:
                raise PermissionDenied
            removed, changed = _evidence_save(row=row, organization_id=entry.checklist.organization_id, user=user,
                                              written=written)
            replaced += removed
            content_changed |= changed
        if content_changed:
            _checklist_reopen(checklist_id=locked.checklist_id, code=entry.item.code, user=user)
        files_delete_on_commit(Evidence._meta.get_field("file"), replaced)
        checklist_counts_refresh(checklists=[locked.checklist_id])  # the overview's stored counts
        return locked


def _checklist_reopen(*, checklist_id: int, code: str, user) -> bool:
    """After a change to an entry's content (URL, where-text, status, public, evidence — not owners or due date,
    which are the organization's own planning): a checklist marked ready to submit goes back to open
    (กำลังจัดเตรียม), ``ready_at``/``ready_by`` cleared, ``reopened_note`` saying which item who changed, since the
    executive confirmed the checklist as it was (the audit log records the change of state with its note). The
    executive marks it ready again. Whether it was reopened."""
    checklist = Checklist.objects.select_for_update().get(pk=checklist_id)
    if checklist.state != ChecklistState.READY:
        return False
    who = (user.get_full_name() or user.username) if user else _("the system (data import)")
    note = _("%(code)s was changed by %(who)s after the checklist was marked ready to submit: the executive "
             "confirms it again.") % {"code": code, "who": who}
    model_update(checklist, fields=["state", "ready_at", "ready_by", "reopened_note"],
                 data={"state": ChecklistState.OPEN, "ready_at": None, "ready_by": None, "reopened_note": note})
    return True


def _evidence_save(*, row: EvidenceInput, organization_id: int, user, written: list) -> tuple[list[str], bool]:
    """Save one element's evidence; returns (the stored file names to delete after the commit, whether anything
    changed)."""
    evidence, data = row.evidence, dict(row.data)
    old_file = evidence.file.name or ""
    upload = data.pop("file", None)
    if upload is False:  # "remove the file" ticked
        data |= {"file": "", "file_name": ""}
    elif isinstance(upload, UploadedFile):  # else None or the stored file: kept
        extension = upload.name.rsplit(".", 1)[-1].lower()
        if extension not in EVIDENCE_TYPES:  # EvidenceFileField names every upload it passes after its type
            raise ValueError(f"evidence upload not checked by EvidenceFileField: {upload.name!r}")
        file_field = Evidence._meta.get_field("file")
        name = file_field.storage.save(file_field.generate_filename(evidence, random_file_name(extension)), upload)
        written.append((file_field.storage, name))
        data |= {"file": name, "file_name": upload.name}
    document = data.get("document")
    if document is not None and document.organization_id != organization_id:
        raise PermissionDenied
    missing = evidence_missing(
        done=data.get("done", evidence.done), kind=data.get("kind", evidence.kind),
        url=data.get("url", evidence.url), file=data.get("file", evidence.file.name or ""),
        document=data.get("document", evidence.document))
    if missing:
        raise ValidationError({f"{evidence.element_id}-{name}": message for name, message in missing.items()})
    _with_user(evidence, user)
    _evidence, changed = model_update(evidence, fields=["done", "kind", "url", "document", "is_public", "file",
                                                        "file_name"], data=data)
    return ([old_file] if old_file and old_file != (evidence.file.name or "") else []), changed


def evidence_missing(*, done: bool, kind: str, url: str, file: str, document) -> dict[str, str]:
    """What a ticked element lacks, by field name (``kind``, ``url``, ``file`` or ``document``) → Thai message:
    the kind of evidence, or the link, file or issued document of that kind. Empty when nothing lacks or the
    element is not ticked. ``file``: the stored name or the upload (anything true counts)."""
    if not done:
        return {}
    if not kind:
        return {"kind": _("Choose what shows this element: a link, a file or an issued document.")}
    lacking = {EvidenceKind.URL: ("url", not url, _("Enter the link that shows this element.")),
               EvidenceKind.FILE: ("file", not file, _("Attach the file that shows this element.")),
               EvidenceKind.DOCUMENT: ("document", document is None,
                                       _("Choose the issued document that shows this element."))}
    name, lacks, message = lacking[kind]
    return {name: message} if lacks else {}


def checklist_mark_ready(*, checklist: Checklist, rights: Rights, user) -> Checklist:
    """An executive marks the checklist ready to submit to NACC: ``state`` ready, ``ready_at`` now, ``ready_by``
    the user (the audit log records the change). Raises ``PermissionDenied`` for anyone but executives (and
    superusers), ``ValidationError`` (Thai) when it is already marked."""
    if not rights.can_approve:
        raise PermissionDenied
    with transaction.atomic():
        locked = Checklist.objects.select_for_update().get(pk=checklist.pk)
        if locked.state == ChecklistState.READY:
            raise ValidationError(_("This checklist is already marked ready to submit."))
        model_update(locked, fields=["state", "ready_at", "ready_by", "reopened_note"],
                     data={"state": ChecklistState.READY, "ready_at": timezone.now(), "ready_by": user,
                           "reopened_note": ""})
        return locked


def organization_website_set(*, organization: Organization, rights: Rights, website: str) -> Organization:
    """Set the organization's main website address (admins; ``PermissionDenied`` otherwise). ``ValidationError``
    (Thai, on ``website``) for an address that is not a URL."""
    if not rights.can_manage:
        raise PermissionDenied
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        model_update(locked, fields=["website"], data={"website": website})
        return locked


# ---------------------------------------------------------------------------------------------------------------
# Selectors


def checklist_for(*, organization: Organization, fiscal_year: int) -> QuerySet[Checklist]:
    """The organization's checklist of ``fiscal_year`` as a queryset (empty when none), with its list."""
    return (Checklist.objects.filter(organization=organization, fiscal_year=fiscal_year)
            .select_related("item_list", "ready_by"))


def checklists_of(*, organization: Organization) -> QuerySet[Checklist]:
    """The organization's checklists, newest year first."""
    return Checklist.objects.filter(organization=organization).order_by("-fiscal_year")


def item_list_years() -> list[int]:
    """The fiscal years that have an item list, newest first."""
    return list(ItemList.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True))


def is_overdue(entry: ChecklistEntry, today: dt.date) -> bool:
    """An entry is overdue when its due date is past and it is neither ready to submit nor submitted."""
    return bool(entry.due_date and entry.due_date < today
                and entry.status not in (EntryStatus.READY, EntryStatus.SUBMITTED))


def checklist_rows(*, checklist: Checklist, status: str = "", department: Department | None = None,
                   today: dt.date | None = None) -> list[ChecklistEntry]:
    """The entries of ``checklist`` in item order, optionally of one ``status`` and one owner ``department``,
    each with ``evidence_done``/``evidence_total`` (elements ticked / elements), ``overdue`` and ``off_site``
    (a URL not on the organization's main website; False while no website is set). Two queries."""
    today = today or timezone.localdate()
    entries = (checklist.entries.select_related("item")
               .prefetch_related(Prefetch("owners", queryset=Department.objects.order_by("order", "name")))
               .annotate(evidence_total=Count("evidence"),
                         evidence_done=Count("evidence", filter=Q(evidence__done=True))))
    if status:
        entries = entries.filter(status=status)
    if department is not None:
        entries = entries.filter(owners=department)
    website = checklist.organization.website
    rows = list(entries)
    for entry in rows:
        entry.overdue = is_overdue(entry, today)
        entry.off_site = bool(website and entry.url) and not url_on_main_website(url=entry.url, website=website)
    return rows


def entry_for(*, checklist: Checklist, code: str) -> QuerySet[ChecklistEntry]:
    """The entry of item ``code`` of ``checklist`` (empty when none), with owners and evidence."""
    return (checklist.entries.filter(item__code=code).select_related("item__item_list", "checklist__organization")
            .prefetch_related("owners", Prefetch("evidence", queryset=Evidence.objects.select_related(
                "element", "document").order_by("element__order", "pk"))))


def issued_documents_for(*, entry: ChecklistEntry) -> tuple[list[IssuedDocument], set[int]]:
    """The issued PDFs of the entry's organization (newest first) and the ids of those suggested for its item
    (``portal_document_kind``): for the plan, the documents whose memo carries the plan of the checklist's year;
    for the annual report, those whose memo carries the annual progress report of the plan of the year before."""
    checklist = entry.checklist
    documents = list(IssuedDocument.objects.filter(organization_id=checklist.organization_id)
                     .select_related("memo__plan", "memo__progress_report__plan")
                     .defer("content").order_by("-issued_at", "-pk"))
    kind = portal_document_kind(entry.item)
    suggested = set()
    for document in documents:
        memo = document.memo
        if kind == PLAN and memo.plan_id and memo.plan.fiscal_year == checklist.fiscal_year:
            suggested.add(document.pk)
        elif (kind == ANNUAL_REPORT and memo.progress_report_id and memo.progress_report.round == Round.ANNUAL
              and memo.progress_report.plan.fiscal_year == checklist.fiscal_year - 1):
            suggested.add(document.pk)
    documents.sort(key=lambda d: d.pk not in suggested)  # stable: suggested first, then newest first
    return documents, suggested


@dataclass(frozen=True)
class EntryToDo:
    """One checklist entry the user's department owns and has not finished: due by ``due_date``, ``late`` when
    today is past it."""

    entry: ChecklistEntry
    due_date: dt.date | None
    late: bool


def department_entries(*, user, today: dt.date | None = None) -> list[EntryToDo]:
    """The entries owned by the departments of ``user``'s active staff and admin memberships in checklists not
    yet marked ready, whose status is neither ready to submit nor submitted; earliest due date first (none
    last), then organization and item order. One query."""
    today = today or timezone.localdate()
    departments = (Membership.objects.active().filter(user=user if user.is_authenticated else None,
                                                      department__isnull=False).values("department_id"))
    entries = (ChecklistEntry.objects.filter(owners__in=departments, checklist__state=ChecklistState.OPEN)
               .exclude(status__in=[EntryStatus.READY, EntryStatus.SUBMITTED])
               .select_related("item", "checklist__organization").distinct())
    rows = [EntryToDo(entry=e, due_date=e.due_date, late=is_overdue(e, today)) for e in entries]
    rows.sort(key=lambda r: (r.due_date is None, r.due_date or dt.date.max, r.entry.checklist.organization.name,
                             r.entry.item.order, r.entry.item.code))
    return rows


# ---------------------------------------------------------------------------------------------------------------
# History

GROUP_SECONDS = 10


def _shown(value, name: str, departments: dict) -> str:
    if value in (None, "", []):
        return "–"
    if name == "owners":
        return ", ".join(departments.get(v["department"], "?") for v in value)
    if name == "status":
        return str(EntryStatus(value).label) if value in EntryStatus.values else str(value)
    if name == "kind":
        return str(EvidenceKind(value).label) if value in EvidenceKind.values else str(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.date):
        return thai_date(value, thai_digits=False)
    if name == "document":
        return _("issued document no. %(pk)s") % {"pk": value}
    return str(value)


def entry_history(*, entry: ChecklistEntry) -> list[HistoryEntry]:
    """Who changed what on ``entry`` and its evidence, newest first, read from simple-history; rows of one user
    within ``GROUP_SECONDS`` are one change. Shape: ``measures.history.HistoryEntry(when, who, changes=[Change(what,
    old, new)])``. The creation of the checklist's rows shows as one "created" line."""
    departments = dict(Department.objects.filter(organization_id=entry.checklist.organization_id)
                       .values_list("pk", "name"))
    elements = {e.element_id: e.element for e in entry.evidence.all()}
    hidden = {"id", "entry", "element", "checklist", "item", "file_name"}
    records = [(r, "") for r in entry.history.select_related("history_user")]
    records += [(r, _("Element %(order)s: ") % {"order": getattr(elements.get(r.element_id), "order", "?")})
                for r in Evidence.history.filter(entry_id=entry.pk).select_related("history_user")]
    records.sort(key=lambda pair: (pair[0].history_date, pair[0].history_id))
    last: dict = {}
    rows: list[tuple] = []
    for record, prefix in records:
        key = (type(record), record.id)
        previous = last.get(key)
        last[key] = record
        if record.history_type == "+":
            changes = [Change(prefix + _("created"))] if not prefix else []
        elif previous is None:
            changes = []
        else:
            model = ChecklistEntry if not prefix else Evidence
            changes = [Change(prefix + str(model._meta.get_field(c.field).verbose_name),
                              _shown(c.old, c.field, departments), _shown(c.new, c.field, departments))
                       for c in record.diff_against(previous).changes if c.field not in hidden]
        if changes:
            rows.append((record, changes))
    history: list[HistoryEntry] = []
    for record, changes in rows:
        user = record.history_user
        who = (user.get_full_name() or user.username) if user else _("the system (data import)")
        latest = history[-1] if history else None
        if latest and latest.who == who and (record.history_date - latest.when).total_seconds() <= GROUP_SECONDS:
            latest.changes.extend(changes)
            latest.when = record.history_date
        else:
            history.append(HistoryEntry(when=record.history_date, who=who, changes=changes))
    return history[::-1]
