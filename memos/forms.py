"""The memo form: the memo's header, body and signer, what it carries, and the chain of comment blocks."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from approvals.choices import Capacity
from core.forms import (
    FreeTextField,
    HiddenErrorsMixin,
    LongTextLimits,
    NameField,
    Textarea,
    ThaiDateField,
    VersionField,
    forms_in_chosen_order,
)
from measures.models import MeasurePlan
from measures.services import ConcurrentEditError

from .choices import MemoAction
from .models import Memo, MemoComment
from .services import ActingInput, CommentInput, StepInput

PLAN = "plan"


class MemoForm(HiddenErrorsMixin, LongTextLimits, forms.ModelForm):
    """The memo's fields. ``take_register_number`` (only while the memo has no register number) asks
    ``services.memo_save`` to number the memo from the outgoing register; once numbered, the document number
    is shown but can no longer be typed (the register is the source)."""

    date = ThaiDateField(label=_("Date (day/month/BE year)"))
    attaches = forms.ChoiceField(label=_("Attached document"))
    seen_version = VersionField(required=False)
    take_register_number = forms.BooleanField(
        label=_("Issue the document number from the outgoing register"), required=False,
        help_text=_("The next running number of this year is taken when the memo is saved and replaces the "
                    "document number typed above."),
    )

    class Meta:
        model = Memo
        fields = ["department", "department_line", "document_number", "date", "subject", "addressee", "body",
                  "closing", "drafter"]
        widgets = {"body": Textarea(attrs={"rows": 10}), "subject": forms.TextInput()}
        # A code: invisible characters removed. Texts: nothing but invisible characters is empty (required).
        field_classes = {"document_number": NameField, "subject": FreeTextField, "addressee": FreeTextField,
                         "body": FreeTextField}
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
        self.fields["seen_version"].initial = self.instance.version if self.instance.pk else None
        if self.instance.register_number is not None:
            del self.fields["take_register_number"]
            self.fields["document_number"].disabled = True  # the template shows the register's number

    def clean_take_register_number(self):
        take = self.cleaned_data["take_register_number"]
        if take and not self.plan.organization.document_number_prefix.strip():
            raise forms.ValidationError(
                _("The organization has no document number prefix yet: an administrator sets it in the "
                  "organization settings."), code="no_prefix")
        return take

    def memo_data(self) -> dict:
        """The cleaned values for ``services.memo_save``: the memo's fields and what it carries."""
        chosen = self.cleaned_data["attaches"]
        return {name: self.cleaned_data[name] for name in self._meta.fields} | {
            "organization": self.plan.organization, "plan": self.plan if chosen == PLAN else None,
            "progress_report": self.reports.get(chosen)}

    def save(self, commit=True):
        memo = super().save(commit=False)
        for name, value in self.memo_data().items():
            setattr(memo, name, value)
        if commit:
            memo.save()
        return memo


class MemoCommentForm(LongTextLimits, forms.ModelForm):
    date = ThaiDateField(label=_("Date (day/month/BE year)"), required=False)

    class Meta:
        model = MemoComment
        fields = ["title", "official", "text", "date"]
        widgets = {"text": Textarea(attrs={"rows": 2})}
        field_classes = {"title": FreeTextField, "text": FreeTextField}
        labels = {"title": _("Heading of the block (e.g. ความเห็นของปลัดเทศบาล)"), "official": _("Signed by")}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = organization.officials.all()


class BaseMemoCommentFormSet(forms.BaseInlineFormSet):
    """The memo's comment blocks. A block the page showed that is gone now (someone else deleted it and saved the
    memo after this page was opened) is refused with the concurrent-edit message: Django only marks the block's
    hidden id as an invalid choice, which no page shows, and the save was refused without a word (issue 18 §8)."""

    def clean(self):
        super().clean()
        pk = self.model._meta.pk.name
        if any(form.has_error(pk, "invalid_choice") for form in self.initial_forms):
            raise ConcurrentEditError([gettext("this memo")])

    def comment_inputs(self) -> list[CommentInput]:
        """The blocks of a valid formset for ``services.memo_save``: the kept ones in the order chosen on the page
        (``forms_in_chosen_order``), then the stored ones deleted."""
        def block(form, delete=False):
            data = form.cleaned_data
            return CommentInput(id=form.instance.pk, title=data.get("title", ""), text=data.get("text", ""),
                                official=data.get("official"), date=data.get("date"), delete=delete)

        return ([block(form) for form in forms_in_chosen_order(self)]
                + [block(form, delete=True) for form in self.deleted_forms if form.instance.pk])


MemoCommentFormSet = forms.inlineformset_factory(
    Memo, MemoComment, form=MemoCommentForm, formset=BaseMemoCommentFormSet, extra=2, can_delete=True,
    can_order=True)


class RoutingStepForm(forms.Form):
    """One step of the route: the comment block's title, the official printed under it, the user who decides, and
    optionally a substitute for a period (issue 22 §3): the member, the official printed for them, the capacity and
    the days (Buddhist era). Every bad input is told beside its field (``clean``)."""

    title = forms.CharField(label=_("Title of the comment block (e.g. ความเห็นปลัดเทศบาล)"), max_length=200)
    official = forms.ModelChoiceField(label=_("Official printed under the block"), queryset=None)
    user = forms.ModelChoiceField(label=_("User who decides at this step"), queryset=None)
    substitute = forms.ModelChoiceField(
        label=_("Substitute (decides for this person during the period)"), queryset=None, required=False,
        error_messages={"invalid_choice": _("The substitute must be a member of this organization.")})
    substitute_official = forms.ModelChoiceField(label=_("Official printed for the substitute"), queryset=None,
                                                 required=False)
    capacity = forms.ChoiceField(label=_("Capacity"), choices=[("", "---------"), *Capacity.choices],
                                 required=False)
    acting_from = ThaiDateField(label=_("Acting from (day/month/BE year)"), required=False)
    acting_until = ThaiDateField(label=_("Acting until (day/month/BE year)"), required=False)

    ACTING_FIELDS = ("substitute", "substitute_official", "capacity", "acting_from", "acting_until")

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = organization.officials.all()
        self.fields["substitute_official"].queryset = organization.officials.all()
        members = get_user_model().objects.filter(
            memberships__organization=organization, memberships__is_active=True).order_by("username")
        for name in ("user", "substitute"):
            self.fields[name].queryset = members
            self.fields[name].label_from_instance = lambda user: user.get_full_name() or user.username

    def clean(self):
        """A substitute comes whole (the member, their official, the capacity, both days) or not at all; it is not
        the step's own user, and the period does not end before it starts. Each message beside its field."""
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in self.ACTING_FIELDS) and not any(
                name in self.errors for name in self.ACTING_FIELDS):
            return cleaned
        missing = {
            "substitute": _("Choose the member who decides during the period."),
            "substitute_official": _("Choose the official printed for the substitute: add them on the officials page "
                                     "first if they are not listed."),
            "capacity": _("Choose the capacity: acting in place of (รักษาราชการแทน) or performing official duties in "
                          "place of (ปฏิบัติราชการแทน)."),
            "acting_from": _("Type the first day of the period."),
            "acting_until": _("Type the last day of the period."),
        }
        for name, message in missing.items():
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        start, end = cleaned.get("acting_from"), cleaned.get("acting_until")
        if start and end and end < start:
            self.add_error("acting_until", _("The period ends before it starts."))
        if cleaned.get("substitute") and cleaned.get("substitute") == cleaned.get("user"):
            self.add_error("substitute", _("The substitute must be someone other than the person of the step."))
        return cleaned

    def step_input(self) -> StepInput:
        """The step for ``services.routing_steps_set`` (a valid form)."""
        data = self.cleaned_data
        acting = None
        if data.get("substitute"):
            acting = ActingInput(substitute=data["substitute"], official=data["substitute_official"],
                                 capacity=data["capacity"], start=data["acting_from"], end=data["acting_until"])
        return StepInput(data["title"], data["official"], data["user"], acting=acting)


RoutingStepFormSet = forms.formset_factory(RoutingStepForm, extra=2, can_delete=True, can_order=True)


class DecisionForm(HiddenErrorsMixin, LongTextLimits, forms.Form):
    """A decision on a memo by the person whose turn it is: their own comment or order and what they decide."""

    action = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    comment = FreeTextField(label=_("Comment or order"), required=False, widget=Textarea(attrs={"rows": 4}))
    version = VersionField()

    confirm_issue = forms.BooleanField(
        label=_("I approve this memo and understand that a register number will be issued for it."), required=False)

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a, MemoAction(a).label) for a in actions]
        if MemoAction.APPROVE not in actions:
            del self.fields["confirm_issue"]

    def clean(self):
        """Approving issues a register number: it needs the box ``confirm_issue`` ticked, else a Thai message
        beside the box (the page works without JavaScript)."""
        cleaned = super().clean()
        if cleaned.get("action") == MemoAction.APPROVE and not cleaned.get("confirm_issue"):
            self.add_error("confirm_issue", _("Tick the box to confirm the approval: approving issues a register "
                                              "number for this memo."))
        return cleaned


class ReasonForm(HiddenErrorsMixin, LongTextLimits, forms.Form):
    """A comment with a transition (sending) or a reason (reopening)."""

    comment = FreeTextField(label=_("Reason"), required=False, widget=Textarea(attrs={"rows": 2}))
    version = VersionField()
