"""Forms of NACC's results per item (``oit.views.results``)."""
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import LongTextLimits, PlainSelect, Textarea, ThaiDateField, refuse_stopped_upload

PASSED, FAILED = "passed", "failed"
RESULT_CHOICES = [("", _("no result")), (PASSED, _("passed (100)")), (FAILED, _("failed (0)"))]
FINAL_CHOICES = [("", _("not known")), (PASSED, _("passed (100)")), (FAILED, _("failed (0)"))]


def as_bool(value: str) -> bool | None:
    return {PASSED: True, FAILED: False}.get(value)


def as_choice(value: bool | None) -> str:
    return "" if value is None else PASSED if value else FAILED


class ItemResultForm(LongTextLimits, forms.Form):
    """One item's result (one row of the results page; the item's code is in ``initial``)."""

    code = forms.CharField(widget=forms.HiddenInput)
    passed = forms.ChoiceField(label=_("Result"), choices=RESULT_CHOICES, required=False, widget=PlainSelect)
    clarification_until = ThaiDateField(label=_("Clarification until"), required=False)
    clarification = forms.CharField(label=_("Clarification filed"), required=False, max_length=5000,
                                    widget=Textarea(attrs={"rows": 2}))
    final_passed = forms.ChoiceField(label=_("Final result"), choices=FINAL_CHOICES, required=False,
                                     widget=PlainSelect)

    def clean(self):
        data = super().clean()
        if data.get("final_passed") and not data.get("passed"):
            self.add_error("final_passed", _("Enter the result first."))
        return data


ItemResultFormSet = forms.formset_factory(ItemResultForm, extra=0)


class ResultsImportForm(forms.Form):
    """The upload of an item results file (CSV UTF-8 or XLSX)."""

    file = forms.FileField(label=_("File (CSV UTF-8 or XLSX)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))
    dry_run = forms.BooleanField(label=_("Check only (save nothing)"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        refuse_stopped_upload(upload)
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(_("The file is %(size)s MB; the limit is %(limit)s MB."),
                                        params={"size": f"{upload.size / 1048576:.1f}",
                                                "limit": f"{limit / 1048576:g}"})
        return upload
