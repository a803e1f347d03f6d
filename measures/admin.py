from django.contrib import admin

from .models import Measure, MeasurePlan, ProgressEntry, ProgressReport, Step
from .services import measure_search_text_refresh


class StepInline(admin.TabularInline):
    model = Step
    extra = 0


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "title"]
    list_filter = ["plan__fiscal_year"]
    inlines = [StepInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        measure_search_text_refresh(measure=form.instance)  # the title, method or steps may have changed here


@admin.register(MeasurePlan)
class MeasurePlanAdmin(admin.ModelAdmin):
    list_display = ["organization", "fiscal_year", "title"]


class ProgressEntryInline(admin.StackedInline):
    model = ProgressEntry
    extra = 0


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["plan", "round", "period_start", "period_end"]
    inlines = [ProgressEntryInline]
