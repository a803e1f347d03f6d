"""Forms of the OIT checklist pages: an entry (owners, due date, URL, where, status), each element's evidence,
the organization's main website, and the start of a year's checklist."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import EvidenceFileField, FreeTextField, LongTextLimits, Textarea, ThaiDateField, ThaiIntegerField
from organizations.models import Organization

from .checklists import evidence_missing
from .choices import EvidenceKind
from .models import ChecklistEntry, Evidence


class EntryForm(LongTextLimits, forms.ModelForm):
    """An entry's own fields; without ``owners`` and ``due_date`` for a user who may not assign them."""

    due_date = ThaiDateField(label=_("Due date (day/month/BE year)"), required=False)

    class Meta:
        model = ChecklistEntry
        fields = ["owners", "due_date", "url", "where", "status", "is_public"]
        field_classes = {"where": FreeTextField}
        widgets = {"owners": forms.CheckboxSelectMultiple, "where": Textarea(attrs={"rows": 3})}

    def __init__(self, *args, assign: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = self.instance.checklist.organization.departments.order_by("order", "name")
        self.fields["url"].help_text = _("The address on the organization's main website that leads to this item, "
                                         "as you will give it to NACC.")
        self.fields["where"].help_text = _("Tell the assessor where on that page the information is.")
        if not assign:
            del self.fields["owners"], self.fields["due_date"]


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, document) -> str:
        return f"{document.document_number} · {document.subject} ({_('version')} {document.version})"


class EvidenceForm(forms.Form):
    """One element's evidence (prefix ``ev-<element id>``). A ticked element needs its evidence of the chosen kind
    (``checklists.evidence_missing``: the Thai message stands beside the field that lacks)."""

    done = forms.BooleanField(label=_("Done"), required=False)
    kind = forms.ChoiceField(label=_("kind of evidence"), required=False,
                             choices=[("", "–"), *EvidenceKind.choices])
    url = forms.URLField(label=_("link"), required=False, max_length=1000, assume_scheme="https")
    file = EvidenceFileField(label=_("File (PDF, JPEG, PNG, DOCX, XLSX)"), required=False)
    document = DocumentChoiceField(label=_("issued document"), required=False, queryset=None,
                                   empty_label="–")
    is_public = forms.BooleanField(label=_("public"), required=False)

    def __init__(self, *args, evidence: Evidence, documents, download_url: str = "", suggested=None, **kwargs):
        """``suggested``: the id of the issued document to preselect on an element that has no evidence yet (the
        year's plan for O25, last year's annual report for O26: ``checklists.issued_documents_for``)."""
        self.evidence = evidence
        initial = {"done": evidence.done, "kind": evidence.kind, "url": evidence.url, "file": evidence.file or None,
                   "document": evidence.document_id, "is_public": evidence.is_public}
        if suggested and not evidence.kind and not evidence.done:
            initial |= {"kind": EvidenceKind.DOCUMENT, "document": suggested}
        super().__init__(*args, prefix=f"ev-{evidence.element_id}", initial=initial, **kwargs)
        self.fields["document"].queryset = documents
        self.fields["file"].widget.download_url = download_url
        self.fields["file"].widget.download_name = evidence.file_name

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        file = "" if upload is False else (upload or self.evidence.file.name or "")
        for name, message in evidence_missing(done=data.get("done", False), kind=data.get("kind", ""),
                                              url=data.get("url", ""), file=file,
                                              document=data.get("document")).items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


class WebsiteForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["website"]
        widgets = {"website": forms.URLInput}
        help_texts = {"website": _("The address of the organization's main website, from which NACC checks the OIT "
                                   "items: links on another host are flagged.")}


class ChecklistStartForm(forms.Form):
    """Start the checklist of a year, empty or copied from an earlier year's checklist."""

    from_year = ThaiIntegerField(label=_("Copy from the checklist of fiscal year"), required=False,
                                 widget=forms.Select)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_year"].widget.choices = [("", _("Start empty")), *[(y, str(y)) for y in years]]
