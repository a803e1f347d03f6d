"""Form fields shared by the apps: numbers typed with Thai or Arabic digits, Buddhist-era dates, evidence files."""
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

import filetype
from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from ita_portal.thai import ThaiDateError, parse_thai_date, short_thai_date, to_arabic_digits

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
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return parse_thai_date(str(value))
        except ThaiDateError as error:
            raise forms.ValidationError(self.error_messages[error.code], code=error.code) from None


UPLOAD_REFUSED = _("This file was not received: it is larger than %(limit)s MB, or the files sent together are "
                   "larger than %(total)s MB. Send a smaller file.")


def refuse_stopped_upload(upload) -> None:
    """Raise the Thai ValidationError for a file the upload handler stopped (``ita_portal.uploads``); every form
    field that takes a file calls it before reading the file."""
    if getattr(upload, "refused", False):
        raise forms.ValidationError(UPLOAD_REFUSED, code="upload_refused", params={
            "limit": f"{settings.UPLOAD_MAX_BYTES / 1048576:g}",
            "total": f"{settings.UPLOAD_MAX_TOTAL_BYTES / 1048576:g}"})


# Evidence files: the kinds staff attach to a progress report, recognised by their content (magic bytes),
# not by the name or the browser's content type.
EVIDENCE_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class EvidenceFileInput(forms.ClearableFileInput):
    """The file input of an evidence file: the current file links to ``download_url`` (the members-only download
    view, set by the form), never to MEDIA_URL, from which evidence is not served."""

    download_url = ""
    clear_checkbox_label = _("Remove the file")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = _DownloadLink(self.download_url, value.name.rsplit("/", 1)[-1])
        return context


@dataclass(frozen=True)
class _DownloadLink:
    url: str
    name: str

    def __str__(self) -> str:
        return self.name


class EvidenceFileField(forms.FileField):
    """An uploaded PDF, JPEG, PNG, DOCX or XLSX of at most ``settings.EVIDENCE_MAX_BYTES`` bytes; the type is
    read from the content (``filetype``), so a renamed executable is refused."""

    widget = EvidenceFileInput
    default_error_messages = {
        "file_type": _("This file is not a PDF, JPEG, PNG, DOCX or XLSX file (the type is read from its content)."),
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
        upload.seek(0)
        kind = filetype.guess(upload.read(65536))
        upload.seek(0)
        if kind is None or EVIDENCE_TYPES.get(kind.extension) != kind.mime:
            raise forms.ValidationError(self.error_messages["file_type"], code="file_type")
        return upload


IMAGE_FORMATS = {"PNG", "JPEG"}  # Pillow's names of the image formats printed on documents


class ImageUploadField(forms.ImageField):
    """An image printed on documents (the Garuda, an official's signature): PNG or JPEG — the format read by Pillow
    from the content, never from the name or the browser's content type — of at most ``max_bytes`` bytes (checked
    before Pillow reads the file) and, when ``max_pixels`` is set, at most that many pixels (width × height; Pillow
    itself refuses decompression bombs above about 179 million pixels). Subclasses word the Thai messages
    (``invalid_image``, ``file_size``, ``pixels``)."""

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
        return upload


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
        text = to_arabic_digits(super().to_python(value) or "")
        codes = [code.strip().lower() for code in text.replace(",", " ").split() if code.strip()]
        for code in codes:
            if not re.fullmatch(r"[ieo][0-9]+", code):  # not str.isdigit(), which takes "²"
                raise forms.ValidationError(self.error_messages["code"], code="code", params={"code": code})
        return codes


TEXT_TOO_LONG = _("This text has %(show_value)s characters; the limit is %(limit_value)s characters.")


def limit_long_texts(form: forms.BaseForm) -> None:
    """Give every text area of ``form`` without a ``max_length`` the limit ``settings.TEXT_MAX_CHARS`` (10,000
    characters by default): a Thai message when exceeded, and ``maxlength`` on the ``<textarea>``. Long texts are
    what makes a document slow to print (three 100 kB texts in one measure took 85 s; README "Limits")."""
    limit = settings.TEXT_MAX_CHARS
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea) and not field.max_length:
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit, message=TEXT_TOO_LONG))
            field.widget.attrs.setdefault("maxlength", str(limit))


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
