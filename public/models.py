"""What an organization has made public: one row per organization and fiscal year (issue 21)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization


class PublicationQuerySet(models.QuerySet):
    def live(self) -> "PublicationQuerySet":
        """Publications in force: published and not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class Publication(models.Model):
    """An organization's fiscal year opened to the public under ``/p/<slug>/<year>/``: its published scores, its
    OIT checklist as marked public, its approved measure plan and progress reports, and their issued PDFs.

    Nothing of a year is public before an admin publishes it (``services.year_publish``); withdrawing
    (``services.year_withdraw``) sets ``withdrawn_at`` and the pages answer 404 again; publishing again clears it.
    Changes are in the audit log (``audit/registry.py``)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="publications",
                                     verbose_name=_("organization"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("withdrawn by"))

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "-fiscal_year"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [models.UniqueConstraint(fields=["organization", "fiscal_year"],
                                               name="publication_unique_year")]
        indexes = [models.Index(fields=["fiscal_year", "withdrawn_at"], name="publication_year_live")]

    def __str__(self) -> str:
        return f"{self.organization} {self.fiscal_year}"

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None
