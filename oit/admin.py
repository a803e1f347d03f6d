from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Element, Item, ItemList


class ElementInline(admin.TabularInline):
    model = Element
    extra = 0


@admin.register(ItemList)
class ItemListAdmin(SimpleHistoryAdmin):
    list_display = ["fiscal_year", "version", "entry_opens", "entry_closes"]


@admin.register(Item)
class ItemAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "item_list", "period", "grade", "to_confirm"]
    list_filter = ["item_list"]
    inlines = [ElementInline]
