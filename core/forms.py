"""Form fields shared by the apps: numbers typed with Thai or Arabic digits (plain numbers only), Buddhist-era
dates, names and codes without invisible characters, hidden version numbers, evidence files."""
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core.thai import (
    ThaiDateError,
    is_blank,
    normalise_text,
    parse_thai_date,
    plain_number,
    short_thai_date,
    to_arabic_digits,
)
from core.uploads import (
    EVIDENCE_TYPES,
    EvidenceTypeError,
    evidence_download_name,
    evidence_type,
    image_reencoded,
)

SCORE_RANGE = _("A score must be between 0 and 100.")


def _plain(field: forms.Field, value, *, decimals: bool):
    """``value`` through ``thai.plain_number``; the field's "invalid" message when it is not a plain number."""
    if not isinstance(value, str) or value.strip() in field.empty_values:
        return value
    plain = plain_number(value, decimals=decimals)
    if plain is None:
        raise forms.ValidationError(field.error_messages["invalid"], code="invalid")
    return plain


class ThaiIntegerField(forms.IntegerField):
    """A whole number typed with Arabic ("2568") or Thai ("๒๕๖๘") digits, and nothing else: ``int()`` alone would
    take "1_0" as 10 (``thai.plain_number``, issue 12 §7)."""

    def to_python(self, value):
        return super().to_python(_plain(self, value, decimals=False))


class ThaiDecimalField(forms.DecimalField):
    """A decimal typed with Arabic ("96.55") or Thai ("๙๖.๕๕") digits, one decimal point, spaces around and
    thousands commas ignored, and nothing else: ``Decimal()`` alone would take "1_0" as 10 and "1e2" as 100
    (``thai.plain_number``, issue 12 §7)."""

    def to_python(self, value):
        return super().to_python(_plain(self, value, decimals=True))


STALE_FORM = _("This form is incomplete or out of date (its hidden version number cannot be read). Nothing was "
               "saved: open the page again and enter your changes once more.")


class VersionField(ThaiIntegerField):
    """The hidden version a form was opened at (optimistic concurrency: a save from an older version is refused).
    The browser sends back what the page gave it, so anything but a whole number from 0 means a damaged or forged
    page: refused with ``STALE_FORM``, which ``HiddenErrorsMixin`` shows on the form (issue 12 §7: a bad hidden
    version showed no message at all)."""

    widget = forms.HiddenInput
    default_error_messages = {"invalid": STALE_FORM, "required": STALE_FORM, "min_value": STALE_FORM,
                              "max_value": STALE_FORM}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**31 - 1)  # PositiveIntegerField's range on every database
        super().__init__(**kwargs)


class HiddenErrorsMixin:
    """A form whose hidden fields' errors are shown with its own errors (``non_field_errors``). The templates
    render fields one by one (``inc/field.html``) and a hidden field has no place of its own on the page; Django
    shows such errors only when the whole form is rendered with ``{{ form }}``."""

    def non_field_errors(self):
        errors = super().non_field_errors()
        shown = set(errors)
        hidden = [message for field in self.hidden_fields() for message in field.errors if message not in shown]
        if not hidden:
            return errors
        return self.error_class([*errors, *dict.fromkeys(hidden)], error_class="nonfield", renderer=self.renderer)


class NameField(forms.CharField):
    """A name or a code (department, official, measure title, document number prefix): stripped, and normalised by
    ``thai.normalise_text`` (NFC; zero-width and bidi-control characters removed), so that the same name typed with
    an invisible character is the same name and the uniqueness checks catch it (issue 12 §7). Used through
    ``Meta.field_classes`` on model forms, keeping the model field's ``max_length`` and widget."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_text(value).strip() if isinstance(value, str) else value


class FreeTextField(forms.CharField):
    """A free text (a reason, a comment, a memo's subject and body): a text with nothing visible in it — only white
    space and format characters such as the zero-width space (``thai.is_blank``) — is empty, so a required one is
    refused with the required message and an optional one reaches the service as "" (which then asks for a reason
    where one is needed: "กรุณาระบุเหตุผล"). Any other text is kept as typed (less the white space Django strips).
    Model forms use it through ``Meta.field_classes``."""

    def to_python(self, value):
        value = super().to_python(value)
        return "" if isinstance(value, str) and is_blank(value) else value


def score_form_field(label, *, required: bool = False) -> ThaiDecimalField:
    """A score field: 0–100, two decimals, Thai messages (scores 0–100, NACC). No ``max_digits``: the range
    check already bounds the digits, and a second check would show a second (untranslated) message."""
    return ThaiDecimalField(
        label=label, required=required, decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0"), message=SCORE_RANGE),
            MaxValueValidator(Decimal("100"), message=SCORE_RANGE),
        ],
        error_messages={
            "invalid": _("Type a number such as 96.55 or ๙๖.๕๕."),
            "max_decimal_places": _("Use at most two decimals."),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "score-input"}),
    )


class ThaiDateInput(forms.TextInput):
    """A text box showing a date as "1/10/2567" (Buddhist era)."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "1/10/2567", "autocomplete": "off", "class": "date-input"} | (attrs or {}))

    def format_value(self, value):
        if isinstance(value, dt.date):
            return short_thai_date(value)
        return super().format_value(value)


class ThaiDateField(forms.DateField):
    """A date typed in the Buddhist era ("1/10/2567", "๑/๑๐/๒๕๖๗", "1 ต.ค. 2567"); a Christian-era year is
    refused with a message, never silently shifted by 543 years."""

    widget = ThaiDateInput
    default_error_messages = {
        "invalid": _("Type the date as day/month/Buddhist-era year, e.g. 1/10/2567."),
        "christian_era": _("Use the Buddhist-era year (พ.ศ.), e.g. 1/10/2567, not 1/10/2024."),
        "invalid_month": _("The month “%(month)s” does not exist: use 1–12 or a month name such as ต.ค."),
        "invalid_day": _("%(month)s %(year)s has %(days)s days: there is no day %(day)s."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return parse_thai_date(str(value))
        except ThaiDateError as error:
            raise forms.ValidationError(self.error_messages[error.code], code=error.code,
                                        params=getattr(error, "params", None) or None) from None


UPLOAD_REFUSED = _("This file was not received: it is larger than %(limit)s MB, or the files sent together are "
                   "larger than %(total)s MB. Send a smaller file.")


def refuse_stopped_upload(upload) -> None:
    """Raise the Thai ValidationError for a file the upload handler stopped (``core.upload_limits``); every form
    field that takes a file calls it before reading the file."""
    if getattr(upload, "refused", False):
        raise forms.ValidationError(UPLOAD_REFUSED, code="upload_refused", params={
            "limit": f"{settings.UPLOAD_MAX_BYTES / 1048576:g}",
            "total": f"{settings.UPLOAD_MAX_TOTAL_BYTES / 1048576:g}"})


class EvidenceFileInput(forms.ClearableFileInput):
    """The file input of an evidence file: the current file links to ``download_url`` (the members-only download
    view, set by the form), never to MEDIA_URL, from which evidence is not served; it shows ``download_name`` (the
    name the file was uploaded under, set by the form), not the random name it is stored under."""

    download_url = ""
    download_name = ""
    clear_checkbox_label = _("Remove the file")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = _DownloadLink(self.download_url,
                                                       self.download_name or value.name.rsplit("/", 1)[-1])
        return context


@dataclass(frozen=True)
class _DownloadLink:
    url: str
    name: str

    def __str__(self) -> str:
        return self.name


class EvidenceFileField(forms.FileField):
    """An uploaded PDF, JPEG, PNG, DOCX or XLSX of at most ``settings.EVIDENCE_MAX_BYTES`` bytes. The type is
    read from the content (``core.uploads.evidence_type``): a renamed executable, HTML, SVG, jar or any
    other kind is refused, and so is a macro-enabled Office file (DOCM, XLSM). The cleaned upload's ``name`` is
    the name to download it under — the uploaded name with the DETECTED extension ("รายงาน.exe" holding a PDF
    becomes "รายงาน.pdf": renamed, not refused) — and its ``content_type`` the detected one."""

    widget = EvidenceFileInput
    default_error_messages = {
        "file_type": _("This file is not a PDF, JPEG, PNG, DOCX or XLSX file (the type is read from its content)."),
        "macro": _("This file contains macros (a DOCM or XLSM file), which are not accepted: save it as DOCX or "
                   "XLSX and attach it again."),
        "file_size": _("The file is %(size)s MB; the limit is %(limit)s MB."),
    }

    def clean(self, data, initial=None):
        refuse_stopped_upload(data)
        upload = super().clean(data, initial)
        if not upload or upload is initial or not hasattr(upload, "size"):
            return upload
        limit = settings.EVIDENCE_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                self.error_messages["file_size"], code="file_size",
                params={"size": f"{upload.size / 1048576:.1f}", "limit": f"{limit / 1048576:g}"},
            )
        try:
            extension = evidence_type(upload)
        except EvidenceTypeError as error:
            raise forms.ValidationError(self.error_messages[error.code], code=error.code,
                                        params=getattr(error, "params", None) or None) from None
        upload.name = evidence_download_name(upload.name, extension)
        upload.content_type = EVIDENCE_TYPES[extension]
        return upload


IMAGE_FORMATS = {"PNG", "JPEG"}  # Pillow's names of the image formats printed on documents


class ImageUploadField(forms.ImageField):
    """An image printed on documents (the Garuda, an official's signature): PNG or JPEG — the format read by Pillow
    from the content, never from the name or the browser's content type — of at most ``max_bytes`` bytes (checked
    before Pillow reads the file) and, when ``max_pixels`` is set, at most that many pixels (width × height; Pillow
    itself refuses decompression bombs above about 179 million pixels). The cleaned value is the image re-encoded
    under a generated name (``uploads.image_reencoded``): nothing of the uploaded bytes but the pixels is stored.
    Subclasses word the Thai messages (``invalid_image``, ``file_size``, ``pixels``)."""

    default_error_messages = {
        "invalid_image": _("Upload a PNG or JPEG image; this file is not one."),
        "file_size": _("The image is %(size)s MB; the limit is %(limit)s MB."),
        "pixels": _("The image is %(width)s × %(height)s pixels; the limit is %(limit)s pixels (width × height)."),
    }

    def __init__(self, *, max_bytes: int, max_pixels: int | None = None, **kwargs):
        self.max_bytes, self.max_pixels = max_bytes, max_pixels
        super().__init__(**kwargs)

    def to_python(self, data):
        refuse_stopped_upload(data)
        if data is not None and getattr(data, "size", 0) > self.max_bytes:  # before Pillow reads it
            raise forms.ValidationError(
                self.error_messages["file_size"], code="file_size",
                params={"size": f"{data.size / 1048576:.1f}", "limit": f"{self.max_bytes / 1048576:g}"},
            )
        upload = super().to_python(data)
        if upload is None:
            return upload
        if upload.image.format not in IMAGE_FORMATS:
            raise forms.ValidationError(self.error_messages["invalid_image"], code="invalid_image")
        width, height = upload.image.size
        if self.max_pixels is not None and width * height > self.max_pixels:
            raise forms.ValidationError(
                self.error_messages["pixels"], code="pixels",
                params={"width": width, "height": height, "limit": f"{self.max_pixels:,}"},
            )
        return image_reencoded(upload)  # only the pixels are stored, under a generated name (issue 18, item 8)


class QuestionCodesField(forms.CharField):
    """Question codes typed as "i1, e๑๕ o36" → ``["i1", "e15", "o36"]`` (tool letter i/e/o and a number,
    ita-framework.md §2); Thai digits become Arabic, upper case becomes lower case."""

    default_error_messages = {
        "code": _("“%(code)s” is not a question code; write codes such as i1, e15 or o36, separated by commas."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("For example: i1, e15, o36"))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def has_changed(self, initial, data):
        # None, "" and [] all mean "no codes": an untouched empty block of a formset must not count as changed.
        try:
            return self.to_python(initial or []) != self.to_python(data)
        except forms.ValidationError:
            return True

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return list(value)
        text = to_arabic_digits(normalise_text(super().to_python(value) or ""))
        codes = [code.strip().lower() for code in text.replace(",", " ").split() if code.strip()]
        for code in codes:
            if not re.fullmatch(r"[ieo][0-9]+", code):  # not str.isdigit(), which takes "²"
                raise forms.ValidationError(self.error_messages["code"], code="code", params={"code": code})
        return codes


TEXT_TOO_LONG = _("This text has %(show_value)s characters; the limit is %(limit_value)s characters.")
TEXT_LIMIT_HELP = _("At most %(limit)s characters.")
TEXT_COUNTER = _("%(count)s of %(limit)s characters")
TEXT_OVER = _("%(over)s characters over the limit of %(limit)s: shorten the text, or it will not be saved.")
COUNTER_FROM = 0.8  # the live counter shows from 80 % of the limit: "near the limit"


def limit_long_texts(form: forms.BaseForm) -> None:
    """Give every text area of ``form`` a stated limit: its ``max_length``, or ``settings.TEXT_MAX_CHARS`` (10,000
    characters by default) with a Thai message when exceeded. Long texts are what makes a document slow to print
    (three 100 kB texts in one measure took 85 s; docs/operations/background-work.md).

    The limit is never a ``maxlength`` attribute: a browser silently cuts a pasted text at ``maxlength`` and the
    writer loses the end unknowingly (issue 22 §7: the 10,001st character). The server refuses a text over the limit
    with a Thai message and keeps it in the form; the help text states the limit (without JavaScript too), and
    ``data-limit``/``data-counter``/``data-over``/``data-counter-from`` give ``static/js/portal.js`` what it shows as
    a live counter near the limit — the numbers and the words come from here, the script only counts."""
    default = settings.TEXT_MAX_CHARS
    for field in form.fields.values():
        if not isinstance(field, forms.CharField) or not isinstance(field.widget, forms.Textarea):
            continue
        if not field.max_length:
            field.max_length = default
            field.validators.append(MaxLengthValidator(default, message=TEXT_TOO_LONG))
        limit = field.max_length
        shown = f"{limit:,}"
        field.widget.attrs.pop("maxlength", None)
        field.widget.attrs.update({
            "data-limit": str(limit), "data-counter-from": str(int(limit * COUNTER_FROM)),
            "data-counter": str(TEXT_COUNTER % {"count": "{count}", "limit": shown}),
            "data-over": str(TEXT_OVER % {"over": "{over}", "limit": shown}),
        })
        limit_help = TEXT_LIMIT_HELP % {"limit": shown}
        field.help_text = format_html("{} {}", field.help_text, limit_help) if field.help_text else limit_help


class LongTextLimits:
    """A form mixin (put it before ``forms.Form``/``forms.ModelForm``) that applies ``limit_long_texts``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_long_texts(self)


class Textarea(forms.Textarea):
    """A text area whose line breaks are stored as LF. Browsers post a textarea's line breaks as CRLF (HTML
    standard); the seed loader, ``Memo.paragraphs`` and the comparisons of texts expect LF. Normalized here, in
    the widget, so ``has_changed`` sees an unchanged multi-line text as unchanged."""

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def forms_in_chosen_order(formset) -> list:
    """The forms of a valid ``can_order`` formset in the order chosen on the page: ``formset.ordered_forms``
    (every initial form, and the filled extra ones, by their ORDER number; no number last), then any other filled
    form. Deleted forms and untouched blank extra forms are left out."""
    ordered = formset.ordered_forms
    return ordered + [form for form in formset.forms
                      if form not in ordered and form not in formset.deleted_forms and form.has_changed()]


class PlainSelect(forms.Select):
    """A ``<select>`` written in Python. Django renders every ``<option>`` through a template, which cost about
    10 ms per request for the 76 provinces of the overview's filter (issue 9); the HTML is the same."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs or {})
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join("", '<option value="{}"{}>{}</option>', (
            (option, mark_safe(" selected") if str(option) in chosen else "", label)
            for option, label in self.choices))
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), options)


# --- passwords: every error at once (issue 22 §7: "the first error hides a weak-password error") ---------------------

def add_password_errors(form: forms.BaseForm, *, field: str, user) -> None:
    """Add to ``field`` of ``form`` every message of Django's password validators (``AUTH_PASSWORD_VALIDATORS``:
    too short, too common, entirely numeric, too similar to ``user``'s name or e-mail) for the password typed
    there, whatever other errors the form has. Nothing when the field is empty or already refused."""
    password = form.cleaned_data.get(field)
    if not password:
        return
    try:
        password_validation.validate_password(password, user)
    except forms.ValidationError as error:
        form.add_error(field, error)


class AllPasswordErrors:
    """A Django form that sets a password (``SetPasswordForm``, ``PasswordChangeForm``) and shows every error at
    once. Django validates the password on the confirmation field after checking that both match, and a mismatch
    removes that field: "the two passwords do not match" hid "too short", which the person only learnt on the
    next try. Here the password is validated on the field it is typed in, always; the mismatch stays on the
    confirmation."""

    def validate_password_for_user(self, user, password_field_name: str = "password2") -> None:
        add_password_errors(self, field=password_field_name[:-1] + "1", user=user)


class PortalSetPasswordForm(AllPasswordErrors, SetPasswordForm):
    """Django's form of the password-reset link, with every password error at once (``AllPasswordErrors``)."""


class PortalPasswordChangeForm(AllPasswordErrors, PasswordChangeForm):
    """Django's password-change form, with every password error at once (``AllPasswordErrors``)."""
