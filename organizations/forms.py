"""The organization's own set-up: its document settings and Garuda, departments (กอง/สำนัก) and the officials who
sign its documents."""
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ita_portal.forms import EvidenceFileInput, ImageUploadField, Textarea

from .models import Department, Official, Organization
from .selectors import signature_data_uri


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
    """An official: name, position lines, department and signature image (``signature_uri``: the stored image
    as a data URI for the preview, "" without one)."""

    position_lines = LinesField(label=_("Position, as printed under the signature (one line per line)"))

    class Meta:
        model = Official
        fields = ["full_name", "position_lines", "department", "signature"]

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = organization.departments.all()
        self.fields["signature"] = SignatureImageField(
            label=_("Signature image (PNG or JPEG)"), required=False,
            help_text=_("Printed above the name in signature and comment blocks; without it the typed name is "
                        "printed. A scan on a white or transparent background, about 3:1."),
        )
        self.fields["signature"].widget.download_url = f"#signature-{self.prefix}"
        self.signature_uri = signature_data_uri(self.instance) if self.instance.pk else ""


DepartmentFormSet = forms.inlineformset_factory(
    Organization, Department, form=DepartmentForm, formset=BaseDepartmentFormSet, extra=2, can_delete=True)
OfficialFormSet = forms.inlineformset_factory(Organization, Official, form=OfficialForm, extra=2, can_delete=True)


GARUDA_MAX_BYTES = 1024 * 1024  # 1 MB: a 1.5 cm emblem needs far less; the image is embedded in every memo


class GarudaInput(EvidenceFileInput):
    """The Garuda's file input: the current file is named with a link to its preview on the same page
    (``#garuda-preview``), not to MEDIA_URL, from which uploads are not served."""

    download_url = "#garuda-preview"
    clear_checkbox_label = _("Remove the Garuda")


class GarudaField(ImageUploadField):
    """The Garuda emblem: a PNG or JPEG image (``ImageUploadField``: format read from the content) of at most
    ``GARUDA_MAX_BYTES`` and ``settings.GARUDA_MAX_PIXELS`` pixels (width × height, read from the header before the
    image is decoded: a 9000 × 9000 emblem made every memo take 9 s and 733 MB)."""

    widget = GarudaInput
    default_error_messages = {
        "invalid_image": _("The Garuda must be a PNG or JPEG image; this file is not one."),
        "file_size": _("The image is %(size)s MB; the Garuda may be at most %(limit)s MB."),
        "pixels": _("The image is %(width)s × %(height)s pixels; the Garuda may have at most %(limit)s pixels "
                    "(width × height)."),
    }

    def __init__(self, **kwargs):
        super().__init__(max_bytes=GARUDA_MAX_BYTES, max_pixels=settings.GARUDA_MAX_PIXELS, **kwargs)


class SignatureInput(EvidenceFileInput):
    """An official's signature image input: the current file links to its preview beside the field
    (``#signature-<form prefix>``, set by ``OfficialForm``), never to MEDIA_URL."""

    clear_checkbox_label = _("Remove the signature image")


class SignatureImageField(ImageUploadField):
    """An official's signature image, printed above the name in signature and comment blocks: PNG or JPEG (read
    from the content) of at most ``settings.SIGNATURE_MAX_BYTES`` bytes and ``settings.SIGNATURE_MAX_PIXELS``
    pixels (width × height)."""

    widget = SignatureInput
    default_error_messages = {
        "invalid_image": _("The signature must be a PNG or JPEG image; this file is not one."),
        "file_size": _("The image is %(size)s MB; a signature image may be at most %(limit)s MB."),
        "pixels": _("The image is %(width)s × %(height)s pixels; a signature image may have at most %(limit)s "
                    "pixels (width × height)."),
    }

    def __init__(self, **kwargs):
        super().__init__(max_bytes=settings.SIGNATURE_MAX_BYTES, max_pixels=settings.SIGNATURE_MAX_PIXELS, **kwargs)


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
