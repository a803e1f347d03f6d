from django.contrib import admin

from .models import Memo, MemoComment


class MemoCommentInline(admin.StackedInline):
    model = MemoComment
    extra = 0


@admin.register(Memo)
class MemoAdmin(admin.ModelAdmin):
    list_display = ["organization", "date", "subject"]
    inlines = [MemoCommentInline]
