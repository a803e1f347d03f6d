"""The memo form: the memo's header, body and signer, what it carries, and the chain of comment blocks."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ita_portal.forms import Textarea, ThaiDateField
from measures.models import MeasurePlan

from .models import Memo, MemoComment

PLAN = "plan"


class MemoForm(forms.ModelForm):
    date = ThaiDateField(label=_("Date (day/month/BE year)"))
    attaches = forms.ChoiceField(label=_("Attached document"))

    class Meta:
        model = Memo
        fields = ["department", "department_line", "document_number", "date", "subject", "addressee", "body",
                  "closing", "drafter"]
        widgets = {"body": Textarea(attrs={"rows": 10}), "subject": forms.TextInput()}
        help_texts = {"body": _("Paragraphs are separated by an empty line.")}

    def __init__(self, *args, plan: MeasurePlan, **kwargs):
        super().__init__(*args, **kwargs)
        organization = plan.organization
        self.plan = plan
        self.fields["department"].queryset = organization.departments.all()
        self.fields["drafter"].queryset = organization.officials.all()
        self.fields["drafter"].label = _("Drafter (signs under the body)")
        self.reports = {str(r.pk): r for r in plan.progress_reports.all()}
        self.fields["attaches"].choices = [(PLAN, _("The measure plan"))] + [
            (pk, report.get_round_display()) for pk, report in self.reports.items()]
        if self.instance.progress_report_id:
            self.fields["attaches"].initial = str(self.instance.progress_report_id)
        else:
            self.fields["attaches"].initial = PLAN

    def save(self, commit=True):
        memo = super().save(commit=False)
        memo.organization = self.plan.organization
        chosen = self.cleaned_data["attaches"]
        memo.plan = self.plan if chosen == PLAN else None
        memo.progress_report = self.reports.get(chosen)
        if commit:
            memo.save()
        return memo


class MemoCommentForm(forms.ModelForm):
    date = ThaiDateField(label=_("Date (day/month/BE year)"), required=False)

    class Meta:
        model = MemoComment
        fields = ["title", "official", "text", "date"]
        widgets = {"text": Textarea(attrs={"rows": 2})}
        labels = {"title": _("Heading of the block (e.g. ความเห็นของปลัดเทศบาล)"), "official": _("Signed by")}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = organization.officials.all()


MemoCommentFormSet = forms.inlineformset_factory(
    Memo, MemoComment, form=MemoCommentForm, extra=2, can_delete=True, can_order=True)
