"""The Django admin of the OIT items (on where ``ADMIN_ENABLED``). Its edits are corrections like those of the
portal's page (``oit.items.item_update``): adding or changing an item or its elements records who corrected it and
makes a new version of the year's list (``oit.items.item_correction_record``), and so does reverting an item
on its history page; deleting items does too
(``oit.items.item_list_version_bump``). The version itself is not typed here."""
from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from .items import item_correction_record, item_list_version_bump
from .models import Element, Item, ItemList


class ElementInline(admin.TabularInline):
    model = Element
    extra = 0


@admin.register(ItemList)
class ItemListAdmin(SimpleHistoryAdmin):
    list_display = ["fiscal_year", "version", "entry_opens", "entry_closes"]
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        """The version counts the corrections (``oit.items.item_list_version_bump``): an edit here, or reverting to
        an earlier record on the history page (whose row holds its old version), keeps the stored one, so a version
        number is never given to two different lists of items."""
        with transaction.atomic():
            if change:
                obj.version = ItemList.objects.select_for_update().values_list("version", flat=True).get(pk=obj.pk)
            super().save_model(request, obj, form, change)


@admin.register(Item)
class ItemAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "item_list", "period", "grade", "to_confirm"]
    list_filter = ["item_list"]
    inlines = [ElementInline]
    readonly_fields = ["corrected_at", "corrected_by"]

    def get_readonly_fields(self, request, obj=None):
        # Moving an item to another year would change two lists; an item is added to the year it belongs to.
        return [*self.readonly_fields, "item_list"] if obj else self.readonly_fields

    def save_related(self, request, form, formsets, change):
        """After the item and its elements are saved (in the admin's transaction): a correction when the item was
        added or anything in the form or its element rows changed (an added, changed or deleted element)."""
        super().save_related(request, form, formsets, change)
        if not change or form.has_changed() or any(formset.has_changed() for formset in formsets):
            item_correction_record(item=form.instance, user=request.user)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting to an earlier version on simple-history's page is a correction too; that view saves the item
        without ``save_related``, so the correction is recorded here, in one transaction with the save."""
        with transaction.atomic():
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if request.method == "POST" and response.status_code == 302:
                item_correction_record(item=Item.objects.get(pk=object_id), user=request.user)
        return response

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            item_list_version_bump(item_list_id=obj.item_list_id, user=request.user)

    def delete_queryset(self, request, queryset):
        """The "delete selected" action: each list that lost items gets one new version."""
        with transaction.atomic():
            item_list_ids = sorted(set(queryset.values_list("item_list_id", flat=True)))
            super().delete_queryset(request, queryset)
            for item_list_id in item_list_ids:
                item_list_version_bump(item_list_id=item_list_id, user=request.user)
