"""What each person wants to be told by e-mail (issue 22 §1)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Preference(models.Model):
    """A person's choice of e-mails. Without a row a person gets them all: the row is written the first time they
    change a choice on their notifications page (``services.preference_set``). The e-mails of a memo's route and of
    an issued document are always sent (they are the person's work); the daily digest may be turned off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference",
        verbose_name=_("user"),
    )
    digest = models.BooleanField(
        _("daily digest of measures falling due"), default=True,
        help_text=_("Every morning, the measures of your department that are due within a week or overdue."),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)
