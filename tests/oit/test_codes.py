"""OIT codes compare equal whatever year's spelling they were typed in (oit.codes)."""
import pytest

from oit.codes import code_normalise
from tests.factories import ChecklistEntryFactory, ElementFactory


@pytest.mark.parametrize(("typed", "canonical"), [
    ("o13", "O13"), ("O๒๘", "O28"), (" O 05 ", "O5"), ("O-26", "O26"), ("O๒๕", "O25"),
    ("i13", None), ("e5", None), ("", None), ("O", None),
])
def test_codes_of_every_years_style_become_one_spelling(typed, canonical):
    assert code_normalise(typed) == canonical


@pytest.mark.django_db
def test_the_factories_make_a_checklist_entry_of_the_lists_year():
    entry = ChecklistEntryFactory()
    element = ElementFactory(item=entry.item)
    assert entry.item.item_list == entry.checklist.item_list
    assert entry.checklist.fiscal_year == entry.checklist.item_list.fiscal_year == 2569
    assert list(entry.item.elements.all()) == [element]
