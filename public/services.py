"""Publishing and withdrawing an organization's year (issue 21 §1). Both are recorded in the audit log:
``Publication`` is followed by django-auditlog (``audit/registry.py``) with the acting user as the actor."""
import contextlib

from auditlog.context import auditlog_value, set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Organization

from . import cache
from .models import Publication

FISCAL_YEARS = range(2550, 2700)  # Buddhist-era fiscal years the portal knows (a typo like 2069 is refused)


@contextlib.contextmanager
def _actor(user):
    """``user`` as the actor of the audit entries written inside (none for ``None``: the shell). auditlog's
    ``set_actor`` leaves its context value behind when it ends and would leave an enclosing one's receiver
    connected when nested (a request's, from its middleware): the value found before is put back afterwards, so
    the enclosing context ends cleanly; inside a request its user (the same) stays the actor."""
    if user is None:
        yield
        return
    previous = auditlog_value.get(None)
    try:
        with set_actor(user):
            yield
    finally:
        if previous is not None:
            auditlog_value.set(previous)


def year_publish(*, organization: Organization, fiscal_year: int, user) -> Publication:
    """Open ``organization``'s ``fiscal_year`` to the public (``/p/<slug>/<year>/``); publishing a withdrawn year
    again clears its withdrawal. Raises ``ValidationError`` (Thai message) for a year outside 2550–2699 or a year
    already published. The public pages' cache is emptied after the commit."""
    if fiscal_year not in FISCAL_YEARS:
        raise ValidationError(_("The fiscal year must be a Buddhist-era year such as 2569."))
    with transaction.atomic(), _actor(user):
        publication = (Publication.objects.select_for_update()
                       .filter(organization=organization, fiscal_year=fiscal_year).first())
        if publication is not None and publication.is_live:
            raise ValidationError(_("Fiscal year %(year)s is already public.") % {"year": fiscal_year})
        publication = publication or Publication(organization=organization, fiscal_year=fiscal_year)
        publication.published_at = timezone.now()
        publication.published_by = user
        publication.withdrawn_at = publication.withdrawn_by = None
        publication.full_clean()
        publication.save()
        transaction.on_commit(cache.version_bump)
    return publication


def year_withdraw(*, organization: Organization, fiscal_year: int, user) -> Publication:
    """Take ``organization``'s ``fiscal_year`` off the public pages (they answer 404 again); the row stays, with
    who withdrew it and when. Raises ``ValidationError`` (Thai message) when the year is not public. The public
    pages' cache is emptied after the commit."""
    with transaction.atomic(), _actor(user):
        publication = (Publication.objects.select_for_update().live()
                       .filter(organization=organization, fiscal_year=fiscal_year).first())
        if publication is None:
            raise ValidationError(_("Fiscal year %(year)s is not public.") % {"year": fiscal_year})
        publication.withdrawn_at = timezone.now()
        publication.withdrawn_by = user
        publication.full_clean()
        publication.save()
        transaction.on_commit(cache.version_bump)
    return publication
