"""The organization's own set-up: its document settings and Garuda, departments (กอง/สำนัก) and the officials who
sign its documents."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ita_portal.forms import EvidenceFileInput, Textarea

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


GARUDA_MAX_BYTES = 1024 * 1024  # 1 MB: a 1.5 cm emblem needs far less; the image is embedded in every memo
GARUDA_FORMATS = {"PNG", "JPEG"}  # Pillow's names of the formats accepted


class GarudaInput(EvidenceFileInput):
    """The Garuda's file input: the current file is named with a link to its preview on the same page
    (``#garuda-preview``), not to MEDIA_URL, from which uploads are not served."""

    download_url = "#garuda-preview"
    clear_checkbox_label = _("Remove the Garuda")


class GarudaField(forms.ImageField):
    """The Garuda emblem: a PNG or JPEG image (format read by Pillow from the content, not the name) of at most
    ``GARUDA_MAX_BYTES``."""

    widget = GarudaInput
    default_error_messages = {
        "invalid_image": _("The Garuda must be a PNG or JPEG image; this file is not one."),
        "file_size": _("The image is %(size)s MB; the Garuda may be at most %(limit)s MB."),
    }

    def to_python(self, data):
        if data is not None and getattr(data, "size", 0) > GARUDA_MAX_BYTES:  # before Pillow reads it
            raise forms.ValidationError(
                self.error_messages["file_size"], code="file_size",
                params={"size": f"{data.size / 1048576:.1f}", "limit": f"{GARUDA_MAX_BYTES / 1048576:g}"},
            )
        upload = super().to_python(data)
        if upload is not None and upload.image.format not in GARUDA_FORMATS:
            raise forms.ValidationError(self.error_messages["invalid_image"], code="invalid_image")
        return upload


class OrganizationSettingsForm(forms.ModelForm):
    """What the organization's documents print: the document number prefix, telephone, how the outgoing
    register counts years, and the Garuda (thai-documents.md §1)."""

    garuda = GarudaField(
        label=_("Garuda emblem (PNG or JPEG, at most 1 MB)"), required=False,
        help_text=_("Printed 1.5 cm tall at the top left of memos. The portal does not ship the emblem: upload "
                    "your organization's own. Without it, memos are printed without the Garuda."),
    )

    class Meta:
        model = Organization
        fields = ["document_number_prefix", "phone", "register_year_basis", "garuda"]
