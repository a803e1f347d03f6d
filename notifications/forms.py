from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    """The person's own e-mail choices (their notifications page)."""

    digest = forms.BooleanField(
        label=_("Send me the daily digest of measures falling due"), required=False,
        help_text=_("Every morning, the measures of your department that are due within a week or overdue."),
    )
