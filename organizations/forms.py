"""The organization's own set-up: its document settings and Garuda, departments (กอง/สำนัก) and the officials who
sign its documents."""
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.forms import EvidenceFileInput, ImageUploadField, NameField, Textarea, add_password_errors
from core.thai import normalise_text

from .choices import Role
from .models import Department, Official, Organization
from .selectors import signature_data_uri


class LinesField(forms.CharField):
    """A list of strings typed one per line (position lines, other spellings); blank lines dropped, each line
    normalised like a name (``thai.normalise_text``)."""

    widget = Textarea(attrs={"rows": 2})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return list(value)
        lines = normalise_text(super().to_python(value) or "").splitlines()
        return [line.strip() for line in lines if line.strip()]

    def has_changed(self, initial, data):
        # An untouched empty block posts "" for an initial of None: both mean "no lines".
        return self.to_python(initial or []) != self.to_python(data)


class DepartmentForm(forms.ModelForm):
    aliases = LinesField(label=_("Other spellings (one per line)"), required=False)

    class Meta:
        model = Department
        fields = ["name", "aliases"]
        field_classes = {"name": NameField}


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
        field_classes = {"full_name": NameField}

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
        field_classes = {"document_number_prefix": NameField}


# --- people: accounts and memberships (issue 13 §1) ---------------------------------------------------------------

class RoleFields(forms.Form):
    """The role in the organization and, for staff, the department (the organization's own departments)."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    department = forms.ModelChoiceField(
        label=_("Department (required for staff)"), queryset=Department.objects.none(), required=False,
        empty_label=_("– no department –"))

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["department"].queryset = organization.departments.all()

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.STAFF and not data.get("department"):
            self.add_error("department", _("Staff members must belong to a department."))
        return data


class MemberCreateForm(RoleFields):
    """A new account and its membership: username, name, e-mail, and either an initial password or a
    password-reset e-mail (the person then chooses their own password)."""

    username = forms.CharField(label=_("Username (for logging in)"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(
        label=_("Initial password"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Give it to the person, who changes it after logging in. Leave it empty to send a "
                    "password-reset e-mail instead."))
    send_reset = forms.BooleanField(
        label=_("Send a password-reset e-mail so that the person chooses their own password"), required=False)

    field_order = ["username", "first_name", "last_name", "email", "password", "send_reset", "role",
                   "department"]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken. To add an existing user, invite them."))
        return username

    def clean(self):
        data = super().clean()
        # Every error of the password at once, with the others (a username taken hid "too short": issue 22 §7);
        # the service checks it again (``services.user_prepare``), against the same account fields.
        add_password_errors(self, field="password", user=get_user_model()(
            username=data.get("username") or "", first_name=data.get("first_name") or "",
            last_name=data.get("last_name") or "", email=data.get("email") or ""))
        if not data.get("password") and not data.get("send_reset"):
            self.add_error("password", _("Give an initial password or tick the password-reset e-mail."))
        if data.get("send_reset") and not data.get("email"):
            self.add_error("email", _("The password-reset e-mail needs an e-mail address."))
        return data


class MemberInviteForm(RoleFields):
    """An existing account, found by its username or e-mail address, given a role in the organization."""

    who = forms.CharField(label=_("Username or e-mail of the existing user"), max_length=254)
    field_order = ["who", "role", "department"]

    def clean_who(self):
        who = self.cleaned_data["who"].strip()
        users = get_user_model().objects.filter(is_active=True)
        found = list(users.filter(username__iexact=who)[:1]) or list(users.filter(email__iexact=who)[:2])
        if not found:
            raise forms.ValidationError(_("No user has this username or e-mail. Add them as a new user instead."))
        if len(found) > 1:
            raise forms.ValidationError(_("Several users have this e-mail; give the username."))
        self.user = found[0]
        return who


class MembershipChangeForm(RoleFields):
    """Another role (and department) for an active membership."""
