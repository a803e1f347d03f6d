"""The form of the verify page: a PDF to check for a signature of this portal."""
import filetype
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import refuse_stopped_upload

VERIFY_MAX_BYTES = 50 * 1024 * 1024  # 50 MB: far above any memo with its attachment (≈0.1–1 MB)


class VerifyPdfForm(forms.Form):
    """A PDF to verify: at most ``VERIFY_MAX_BYTES``, a PDF by its content (``filetype``), not its name."""

    pdf = forms.FileField(label=_("PDF file"), error_messages={"required": _("Choose a PDF file.")})

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        refuse_stopped_upload(upload)
        if upload.size > VERIFY_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB."), code="file_size",
                params={"size": f"{upload.size / 1048576:.1f}", "limit": f"{VERIFY_MAX_BYTES / 1048576:g}"})
        kind = filetype.guess(upload.read(2048))
        upload.seek(0)
        if kind is None or kind.mime != "application/pdf":
            raise forms.ValidationError(_("This file is not a PDF (the type is read from its content)."),
                                        code="file_type")
        return upload
