"""The daily digest (issue 22 §1): each member of a department is told, by e-mail, which measures of their
department are overdue and which fall due within ``settings.DIGEST_DUE_DAYS`` days (``manage.py send_digest``,
run every morning by deploy/ita-portal-digest.timer).

Who: active members with a department (``Membership.department``: staff) whose account is active, has an e-mail
address and has not turned the digest off (``Preference.digest``). What: the measures (not deleted) their
department owns in the plans of the current fiscal year and later, "overdue" and "due soon" by the rules of
``measures.selectors`` (``overdue_condition``, ``due_soon_condition``: one home, in SQL). Someone with nothing
overdue or due gets no e-mail. Four queries whatever the number of people."""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.urls import reverse

from core.thai import fiscal_year_of, thai_date
from measures.models import Measure
from measures.selectors import due_soon_condition, overdue_condition, with_overdue
from organizations.models import Membership

from .mail import Mail, absolute_url, compose


@dataclass(frozen=True)
class DigestRow:
    """One measure in a digest: where it is, what it is, when it is due, and its page's address."""

    organization: str
    fiscal_year: int
    number: int
    title: str
    due_date: dt.date
    due_text: str  # "31 มีนาคม 2570"
    overdue: bool
    url: str


@dataclass
class Digest:
    """The digest of one person: their overdue measures and those due soon, each by due date then number."""

    user: object
    overdue: list[DigestRow] = field(default_factory=list)
    due_soon: list[DigestRow] = field(default_factory=list)


def _rows(*, today: dt.date, days: int) -> dict[int, DigestRow]:
    """{measure id: row} of every measure overdue or due within ``days`` in the plans of the current fiscal year
    and later."""
    measures = (with_overdue(Measure.objects.filter(plan__fiscal_year__gte=fiscal_year_of(today)), today=today)
                .filter(overdue_condition(today=today) | due_soon_condition(today=today, days=days))
                .values("pk", "number", "title", "due_date", "overdue", "plan__fiscal_year",
                        "plan__organization__name", "plan__organization__slug"))
    return {m["pk"]: DigestRow(
        organization=m["plan__organization__name"], fiscal_year=m["plan__fiscal_year"], number=m["number"],
        title=m["title"], due_date=m["due_date"], due_text=thai_date(m["due_date"], thai_digits=False),
        overdue=m["overdue"], url=absolute_url(reverse("measures:measure_detail", args=[
            m["plan__organization__slug"], m["plan__fiscal_year"], m["number"]])),
    ) for m in measures}


def digests(*, today: dt.date, days: int) -> list[Digest]:
    """The digests to send on ``today``: one per person who has something overdue or due within ``days`` days in
    their department (see the module), by user name. A measure owned by two of a person's departments is listed
    once."""
    rows = _rows(today=today, days=days)
    owned: dict[int, set[int]] = defaultdict(set)  # department id → measure ids
    for measure_id, department_id in Measure.owners.through.objects.filter(measure_id__in=rows).values_list(
            "measure_id", "department_id"):
        owned[department_id].add(measure_id)
    wanted: dict[int, set[int]] = defaultdict(set)  # user id → measure ids
    for user_id, department_id in (Membership.objects.active()
                                   .filter(department_id__in=owned, user__is_active=True)
                                   .exclude(user__email="").exclude(user__notification_preference__digest=False)
                                   .values_list("user_id", "department_id")):
        wanted[user_id] |= owned[department_id]
    found = []
    for user in get_user_model().objects.filter(pk__in=wanted).order_by("username"):
        ordered = sorted((rows[pk] for pk in wanted[user.pk]),
                         key=lambda row: (row.due_date, row.organization, row.fiscal_year, row.number))
        found.append(Digest(user=user, overdue=[row for row in ordered if row.overdue],
                            due_soon=[row for row in ordered if not row.overdue]))
    return found


def digest_mails(*, today: dt.date, days: int) -> list[Mail]:
    """The e-mails of ``digests(today=today, days=days)``, in Thai, linking each measure and the page where the
    digest is turned off."""
    settings_url = absolute_url(reverse("notifications:preferences"))
    mails = []
    for digest in digests(today=today, days=days):
        mails += compose(users=[digest.user], template="digest", context={
            "overdue": digest.overdue, "due_soon": digest.due_soon, "days": days,
            "today": thai_date(today, thai_digits=False), "settings_url": settings_url})
    return mails
