"""Forms of the measure cycle: plan, proposed measures, measure with its steps, progress report and its rows."""
from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Finding
from core.forms import (
    EvidenceFileField,
    FreeTextField,
    HiddenErrorsMixin,
    LongTextLimits,
    NameField,
    QuestionCodesField,
    Textarea,
    ThaiDateField,
    ThaiIntegerField,
    VersionField,
    forms_in_chosen_order,
)
from core.thai import thai_date_range
from organizations.models import Department

from .choices import Round, Status
from .models import Measure, MeasurePlan, ProgressEntry, ProgressReport
from .services import Proposal

END_BEFORE_START = _("The end must not be before the start.")


class PlanForm(LongTextLimits, forms.ModelForm):
    fiscal_year = ThaiIntegerField(
        label=_("Fiscal year (BE)"), min_value=2550, max_value=2700,
        error_messages={key: _("Type the fiscal year in the Buddhist era, e.g. 2568.")
                        for key in ("min_value", "max_value", "invalid")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = MeasurePlan
        fields = ["fiscal_year", "title", "introduction"]
        widgets = {"introduction": Textarea(attrs={"rows": 3})}


class PlanEditForm(PlanForm):
    """The plan form on an existing plan, which can also be linked to (or unlinked from) an assessment."""

    class Meta(PlanForm.Meta):
        fields = ["fiscal_year", "assessment", "title", "introduction"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = self.instance.organization.assessments.all()
        self.fields["assessment"].label_from_instance = lambda a: _("ITA result %(year)s") % {"year": a.fiscal_year}


class ProposedMeasureForm(LongTextLimits, forms.Form):
    """One proposal of the new-plan form: kept or dropped, its title, issue, method, owner departments and steps
    (one per line) editable; its indicator and question codes carried as they were proposed."""

    keep = forms.BooleanField(label=_("Keep"), required=False, initial=True)
    indicator = ThaiIntegerField(widget=forms.HiddenInput, required=False)
    question_codes = forms.CharField(widget=forms.HiddenInput, required=False)
    title = NameField(label=_("Measure"), widget=Textarea(attrs={"rows": 2}), required=False)
    issue = forms.CharField(label=_("Issue"), widget=Textarea(attrs={"rows": 2}), required=False)
    method = forms.CharField(label=_("Method"), widget=Textarea(attrs={"rows": 2}), required=False)
    owners = forms.ModelMultipleChoiceField(label=_("Owners"), queryset=Department.objects.none(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    steps = forms.CharField(label=_("Steps (one per line)"), widget=Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, organization, **kwargs):
        initial = kwargs.get("initial")
        if initial and isinstance(initial.get("question_codes"), list):
            kwargs["initial"] = initial | {"question_codes": ",".join(initial["question_codes"])}
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = organization.departments.order_by("order", "name")

    def clean_question_codes(self) -> list[str]:
        return [code.strip() for code in self.cleaned_data["question_codes"].split(",") if code.strip()]

    def clean(self):
        data = super().clean()
        if data.get("keep") and not (data.get("title") or "").strip():
            self.add_error("title", _("A kept measure needs a title."))
        if "owners" in data:
            data["owners"] = [d.pk for d in data["owners"]]
        return data


    def proposal(self) -> Proposal:
        """The proposal as the user left it (valid form), the input of ``services.plan_create``."""
        data = self.cleaned_data
        return Proposal(indicator=data.get("indicator"), title=data.get("title") or "", issue=data.get("issue") or "",
                        method=data.get("method") or "", question_codes=list(data.get("question_codes") or []),
                        owners=list(data.get("owners") or []), steps=data.get("steps") or "")


ProposedMeasureFormSet = forms.formset_factory(ProposedMeasureForm, extra=0)


class MeasureForm(HiddenErrorsMixin, LongTextLimits, forms.ModelForm):
    """A measure's own fields. ``version`` is the version the user started from (optimistic concurrency). The
    title is a name (``NameField``: invisible characters removed)."""

    number = ThaiIntegerField(label=_("Number"), min_value=1, max_value=999,
                              widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    question_codes = QuestionCodesField(label=_("Question codes"))
    timeframe_start = ThaiDateField(label=_("Start (day/month/BE year)"), required=False)
    timeframe_end = ThaiDateField(label=_("End (day/month/BE year)"), required=False)
    version = VersionField(required=False)

    class Meta:
        model = Measure
        fields = ["number", "title", "issue", "indicators", "findings", "question_codes", "method", "owners",
                  "owner_note", "timeframe_start", "timeframe_end", "timeframe_text", "monitoring"]
        field_classes = {"title": NameField}
        widgets = {
            "title": Textarea(attrs={"rows": 2}),
            "issue": Textarea(attrs={"rows": 3}),
            "method": Textarea(attrs={"rows": 3}),
            "monitoring": Textarea(attrs={"rows": 3}),
            "indicators": forms.CheckboxSelectMultiple,
            "findings": forms.CheckboxSelectMultiple,
            "owners": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, plan: MeasurePlan, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["indicators"].queryset = indicators
        self.fields["indicators"].label_from_instance = lambda i: f"{i.number}. {i.name}"
        self.fields["owners"].queryset = Department.objects.filter(organization=plan.organization)
        # Findings of the analysis of the assessment the plan is based on (none: the field is hidden).
        self.fields["findings"].queryset = Finding.objects.filter(analysis__assessment_id=plan.assessment_id)
        self.fields["findings"].label = _("Findings of the analysis it answers")
        self.fields["findings"].label_from_instance = lambda f: f"{f.number}. {f.title}"
        self.fields["owners"].label = _("Owner departments")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        start, end = data.get("timeframe_start"), data.get("timeframe_end")
        if start and end and end < start:
            self.add_error("timeframe_end", END_BEFORE_START)
        self._timeframe_text_follows_dates(data)
        number = data.get("number")
        taken = self.plan.measures.filter(number=number).exclude(pk=self.instance.pk)
        if number and taken.exists():
            self.add_error("number", _("This plan already has a measure with that number."))
        return data

    def _timeframe_text_follows_dates(self, data: dict) -> None:
        """The "as written" timeframe follows the dates unless the user typed their own (issue 13): when a date
        changed and the text did not, a text that states dates (it has digits) is rewritten from the new dates
        ("1 ต.ค. 2568 – 30 ก.ย. 2569"), so the page never shows two different end dates; a phrase without dates
        ("ดำเนินการเป็นประจำทุกวัน") stays."""
        moved = {"timeframe_start", "timeframe_end"} & set(self.changed_data)
        text = data.get("timeframe_text") or ""
        if not moved or "timeframe_text" in self.changed_data or not text:
            return
        if any(character.isdigit() for character in text):  # Thai digits are digits too
            data["timeframe_text"] = thai_date_range(data.get("timeframe_start"), data.get("timeframe_end"),
                                                     thai_digits=False)

    def validate_unique(self):
        # The plan is set by the view, not the form; numbers are checked in clean().
        pass


class StepForm(LongTextLimits, forms.Form):
    text = FreeTextField(label=_("Step"), required=False, widget=Textarea(attrs={"rows": 2}))


StepFormSet = forms.formset_factory(StepForm, extra=1, can_delete=True, can_order=True)


def steps_from(formset) -> list[str]:
    """The step texts of a valid ``StepFormSet`` in the order chosen on the page, deleted and blank ones out."""
    return [text for form in forms_in_chosen_order(formset) if (text := form.cleaned_data.get("text", "").strip())]


class ProgressReportForm(LongTextLimits, forms.ModelForm):
    period_start = ThaiDateField(label=_("Period start (day/month/BE year)"))
    period_end = ThaiDateField(label=_("Period end (day/month/BE year)"))

    class Meta:
        model = ProgressReport
        fields = ["round", "period_start", "period_end", "title", "summary"]
        widgets = {"summary": Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan: MeasurePlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["round"].choices = Round.choices

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", END_BEFORE_START)
        taken = self.plan.progress_reports.filter(round=data.get("round")).exclude(pk=self.instance.pk)
        if data.get("round") and taken.exists():
            self.add_error("round", _("This plan already has a report for that round."))
        return data

    def validate_unique(self):
        pass


class ProgressEntryForm(HiddenErrorsMixin, LongTextLimits, forms.ModelForm):
    """One row of a progress report: the measure is fixed by the page (prefix ``m<number>``)."""

    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Not reported"))] + list(Status.choices))
    date_done = ThaiDateField(label=_("Date done (day/month/BE year)"), required=False)
    evidence_file = EvidenceFileField(label=_("Evidence file (PDF, JPEG, PNG, DOCX, XLSX)"), required=False)
    version = VersionField(required=False)

    class Meta:
        model = ProgressEntry
        fields = ["status", "result", "date_done", "date_text", "evidence", "evidence_url", "evidence_file",
                  "recommendation"]
        widgets = {
            "result": Textarea(attrs={"rows": 2}),
            "evidence": Textarea(attrs={"rows": 1}),
            "recommendation": Textarea(attrs={"rows": 1}),
            "evidence_url": forms.URLInput(attrs={"placeholder": "https://"}),
        }
        error_messages = {"evidence_url": {"invalid": _("Type a full web address, e.g. https://www.example.go.th/ita")}}

    def __init__(self, *args, measure: Measure, download_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.fields["evidence_file"].widget.download_url = download_url
        self.fields["evidence_file"].widget.download_name = self.instance.evidence_filename
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0



class OwnDepartmentConfirmForm(forms.Form):
    """The second step of saving a measure that takes the editor's own department off its owners (issue 13 §2):
    the box must be ticked, else nothing is saved."""

    confirm_own_department = forms.BooleanField(
        label=_("Yes, save without my department among the owners"), required=False)

    def confirmed(self) -> bool:
        return self.is_valid() and self.cleaned_data["confirm_own_department"]
