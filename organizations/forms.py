"""The organization's own set-up: departments (กอง/สำนัก) and the officials who sign its documents."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ita_portal.forms import Textarea

from .models import Department, Official, Organization


class LinesField(forms.CharField):
    """A list of strings typed one per line (position lines, other spellings); blank lines dropped."""

    widget = Textarea(attrs={"rows": 2})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return list(value)
        return [line.strip() for line in (super().to_python(value) or "").splitlines() if line.strip()]

    def has_changed(self, initial, data):
        # An untouched empty block posts "" for an initial of None: both mean "no lines".
        return self.to_python(initial or []) != self.to_python(data)


class DepartmentForm(forms.ModelForm):
    aliases = LinesField(label=_("Other spellings (one per line)"), required=False)

    class Meta:
        model = Department
        fields = ["name", "aliases"]


class BaseDepartmentFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        names = [f.cleaned_data.get("name") for f in self.forms
                 if f.has_changed() and not self._should_delete_form(f) and f.cleaned_data.get("name")]
        if len(names) != len(set(names)):
            raise forms.ValidationError(_("Two departments have the same name."))


class OfficialForm(forms.ModelForm):
    position_lines = LinesField(label=_("Position, as printed under the signature (one line per line)"))

    class Meta:
        model = Official
        fields = ["full_name", "position_lines", "department"]

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = organization.departments.all()


DepartmentFormSet = forms.inlineformset_factory(
    Organization, Department, form=DepartmentForm, formset=BaseDepartmentFormSet, extra=2, can_delete=True)
OfficialFormSet = forms.inlineformset_factory(Organization, Official, form=OfficialForm, extra=2, can_delete=True)
