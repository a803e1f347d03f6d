"""The assessment results form: published figures, the ten indicator scores and the EIT parts."""
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import (
    LongTextLimits,
    QuestionCodesField,
    Textarea,
    ThaiIntegerField,
    refuse_stopped_upload,
    score_form_field,
)

from .models import Analysis, Assessment, Finding, Framework, QuestionScore
from .services import PublishedFigures

EIT_PARTS = (1, 2)  # EIT ส่วนที่ ๑ / ๒, published from 2566 (ita-framework.md §2)


class AssessmentForm(forms.Form):
    """Fields ``indicator_<n>`` for each indicator of the year's framework and ``eit_part_<n>``."""

    # A BE year; a CE year (2025) is refused, not converted.
    fiscal_year = ThaiIntegerField(
        label=_("Fiscal year (BE)"), min_value=2550, max_value=2700,
        error_messages={
            "min_value": _("Type the fiscal year in the Buddhist era, e.g. 2568."),
            "max_value": _("Type the fiscal year in the Buddhist era, e.g. 2568."),
            "invalid": _("Type the fiscal year in the Buddhist era, e.g. 2568."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    official_score = score_form_field(_("Published ITA score"))
    official_level = forms.CharField(label=_("Published level"), max_length=50, required=False)
    official_level_letter = forms.CharField(
        label=_("Published letter level"), max_length=8, required=False,
        help_text=_("Where the year also published an AA–F letter beside the pass label (2566)."))
    official_iit = score_form_field(_("Published IIT score"))
    official_eit = score_form_field(_("Published EIT score"))
    official_oit = score_form_field(_("Published OIT score"))
    rank = ThaiIntegerField(label=_("Rank"), min_value=1, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    rank_scope = forms.CharField(label=_("Rank among"), max_length=200, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=Textarea(attrs={"rows": 3}))

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework
        for indicator in framework.indicators.all():
            field = score_form_field(f"{indicator.number}. {indicator.name} ({indicator.tool.code})")
            field.widget.attrs["data-tool"] = indicator.tool.code
            self.fields[f"indicator_{indicator.number}"] = field
        for part in EIT_PARTS:
            field = score_form_field(_("EIT part %(part)s") % {"part": part})
            field.widget.attrs |= {"data-tool": "EIT", "data-part": str(part)}
            self.fields[f"eit_part_{part}"] = field

    def indicator_fields(self):
        return [self[f"indicator_{i.number}"] for i in self.framework.indicators.all()]

    def part_fields(self):
        return [self[f"eit_part_{part}"] for part in EIT_PARTS]

    def published_fields(self):
        names = ["official_score", "official_level", "official_level_letter", "official_iit", "official_eit",
                 "official_oit", "rank",
                 "rank_scope", "notes"]
        return [self[name] for name in names]

    def clean_fiscal_year(self):
        year = self.cleaned_data["fiscal_year"]
        if year != self.framework.fiscal_year:
            raise forms.ValidationError(_("The form was opened for fiscal year %(year)s."),
                                        params={"year": self.framework.fiscal_year})
        return year

    # The typed inputs of ``services.assessment_scores_set``, the service the score import calls too (valid form).

    def _given(self, name: str):
        value = self.cleaned_data.get(name)
        return None if value in (None, "") else value

    def indicator_scores(self) -> dict[int, Decimal]:
        """Indicator number → score, for the indicators given (a blank one is left out)."""
        return {i.number: score for i in self.framework.indicators.all()
                if (score := self._given(f"indicator_{i.number}")) is not None}

    def part_scores(self) -> dict[int, Decimal]:
        """EIT part (1, 2) → score, for the parts given."""
        return {part: score for part in EIT_PARTS if (score := self._given(f"eit_part_{part}")) is not None}

    def published(self) -> PublishedFigures:
        """The published figures as typed (None or "" where blank)."""
        data = self.cleaned_data
        return PublishedFigures(
            score=self._given("official_score"), level=data.get("official_level") or "",
            level_letter=data.get("official_level_letter") or "", iit=self._given("official_iit"),
            eit=self._given("official_eit"), oit=self._given("official_oit"), rank=self._given("rank"),
            rank_scope=data.get("rank_scope") or "")

    @staticmethod
    def initial_for(assessment: Assessment) -> dict:
        """Initial values of the form from a stored assessment."""
        initial = {name: getattr(assessment, name) for name in (
            "fiscal_year", "official_score", "official_level", "official_level_letter", "official_iit", "official_eit",
            "official_oit",
            "rank", "rank_scope", "notes")}
        initial |= {f"indicator_{s.indicator.number}": s.score for s in assessment.indicator_scores.all()}
        initial |= {f"eit_part_{p.part}": p.score for p in assessment.part_scores.all()}
        return initial



class AnalysisForm(LongTextLimits, forms.ModelForm):
    class Meta:
        model = Analysis
        fields = ["introduction", "limitations"]
        widgets = {"introduction": Textarea(attrs={"rows": 4}), "limitations": Textarea(attrs={"rows": 4})}


class FindingForm(LongTextLimits, forms.ModelForm):
    """One finding of the analysis: indicators of the assessment's year, question codes ("e๑๕" accepted)."""

    number = ThaiIntegerField(label=_("No."), min_value=1, max_value=99,
                              widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3}))
    question_codes = QuestionCodesField(label=_("Question codes"))

    class Meta:
        model = Finding
        fields = ["number", "title", "indicators", "question_codes", "text", "recommendation"]
        widgets = {"indicators": forms.CheckboxSelectMultiple, "text": Textarea(attrs={"rows": 4}),
                   "recommendation": Textarea(attrs={"rows": 3})}

    def __init__(self, *args, indicators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = indicators
        self.fields["indicators"].label_from_instance = lambda i: f"{i.number}. {i.name}"

    def _get_validation_exclusions(self):
        # Numbers are checked across the whole formset (``BaseFindingFormSet.clean``), not against the stored
        # rows, which the same save may renumber (two findings swapping numbers).
        return super()._get_validation_exclusions() | {"number"}


class BaseFindingFormSet(forms.BaseInlineFormSet):
    def clean(self):
        # Not super().clean(): Django's check would refuse the duplicate with its own (half English) message.
        numbers = [f.cleaned_data.get("number") for f in self.forms
                   if (f.instance.pk or f.has_changed()) and not self._should_delete_form(f)
                   and f.cleaned_data.get("number")]
        if len(numbers) != len(set(numbers)):
            raise forms.ValidationError(_("Two findings have the same number."))


FindingFormSet = forms.inlineformset_factory(
    Analysis, Finding, form=FindingForm, formset=BaseFindingFormSet, extra=1, can_delete=True)


class QuestionScoreForm(LongTextLimits, forms.ModelForm):
    code = forms.CharField(label=_("Code"), max_length=10, widget=forms.TextInput(attrs={"size": 5}))
    score = score_form_field(_("Score"))

    class Meta:
        model = QuestionScore
        fields = ["code", "text", "score"]
        widgets = {"text": Textarea(attrs={"rows": 2})}

    def clean_code(self):
        codes = QuestionCodesField().clean(self.cleaned_data["code"])
        if len(codes) != 1:
            raise forms.ValidationError(_("Write one question code, such as e15."))
        return codes[0]


QuestionScoreFormSet = forms.inlineformset_factory(
    Assessment, QuestionScore, form=QuestionScoreForm, extra=1, can_delete=True)


class ScoreImportForm(forms.Form):
    """The upload of a score file (CSV UTF-8 or XLSX) and the options of ``importers.scores_import``."""

    file = forms.FileField(label=_("File (CSV UTF-8 or XLSX)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))
    dry_run = forms.BooleanField(label=_("Check only (save nothing)"), required=False)
    valid_only = forms.BooleanField(label=_("Import the valid rows even if other rows are invalid"), required=False)
    replace = forms.BooleanField(
        label=_("Replace the indicator scores an organization entered itself where the file differs"), required=False)
    create_organizations = forms.BooleanField(
        label=_("Create the organizations the portal does not hold"), required=False,
        help_text=_("Unticked, a name the portal does not hold is an error that names the closest organizations: a "
                    "misspelt name never becomes a new organization. Check first to see the list."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        refuse_stopped_upload(upload)
        limit = settings.IMPORT_MAX_BYTES  # a national file of 8,300 rows is about 2 MB as CSV
        if upload.size > limit:
            raise forms.ValidationError(_("The file is %(size)s MB; the limit is %(limit)s MB."),
                                        params={"size": f"{upload.size / 1048576:.1f}",
                                                "limit": f"{limit / 1048576:g}"})
        return upload
