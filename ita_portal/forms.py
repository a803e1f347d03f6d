"""Form fields shared by the apps: numbers typed with Thai or Arabic digits."""
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from ita_portal.thai import to_arabic_digits

SCORE_RANGE = _("A score must be between 0 and 100.")


class ThaiIntegerField(forms.IntegerField):
    """A whole number typed with Arabic ("2568") or Thai ("๒๕๖๘") digits."""

    def to_python(self, value):
        if isinstance(value, str):
            value = to_arabic_digits(value).strip()
        return super().to_python(value)


class ThaiDecimalField(forms.DecimalField):
    """A decimal typed with Arabic ("96.55") or Thai ("๙๖.๕๕") digits; spaces and a thousands comma ignored."""

    def to_python(self, value):
        if isinstance(value, str):
            value = to_arabic_digits(value).replace(",", "").strip()
        return super().to_python(value)


def score_form_field(label, *, required: bool = False) -> ThaiDecimalField:
    """A score field: 0–100, two decimals, Thai messages (scores 0–100, NACC)."""
    return ThaiDecimalField(
        label=label, required=required, max_digits=5, decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0"), message=SCORE_RANGE),
            MaxValueValidator(Decimal("100"), message=SCORE_RANGE),
        ],
        error_messages={
            "invalid": _("Type a number such as 96.55 or ๙๖.๕๕."),
            "max_decimal_places": _("Use at most two decimals."),
            "max_digits": SCORE_RANGE,
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "score-input"}),
    )
