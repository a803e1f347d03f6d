"""The form of a national administrator's correction of an OIT item: its fields and its elements (a formset)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import FreeTextField, LongTextLimits, Textarea, forms_in_chosen_order

from .codes import code_normalise
from .items import ITEM_EDIT_FIELDS, ElementInput
from .models import Item


class ItemForm(LongTextLimits, forms.ModelForm):
    indicator_number = forms.TypedChoiceField(label=_("indicator"), coerce=int,
                                              choices=[(9, "9"), (10, "10")])

    class Meta:
        model = Item
        fields = ITEM_EDIT_FIELDS
        widgets = {"source": forms.TextInput}

    def clean_previous_code(self) -> str:
        code = (self.cleaned_data.get("previous_code") or "").strip()
        if code and code_normalise(code) is None:
            raise forms.ValidationError(_("“%(code)s” is not an OIT code: type e.g. O12.") % {"code": code})
        return code_normalise(code) if code else ""


class ElementForm(LongTextLimits, forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = FreeTextField(label=_("element"), required=False, widget=Textarea(attrs={"rows": 2}))


ElementFormSet = forms.formset_factory(ElementForm, extra=1, can_delete=True, can_order=True)


def elements_from(formset) -> list[ElementInput]:
    """The elements of a valid ``ElementFormSet`` in the order chosen on the page, removed and blank ones out."""
    return [ElementInput(text=text, pk=form.cleaned_data.get("pk"))
            for form in forms_in_chosen_order(formset) if (text := (form.cleaned_data.get("text") or "").strip())]
