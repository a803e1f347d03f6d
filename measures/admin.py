from django.contrib import admin

from .models import Measure, MeasurePlan, ProgressEntry, ProgressReport, Step


class StepInline(admin.TabularInline):
    model = Step
    extra = 0


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "title"]
    list_filter = ["plan__fiscal_year"]
    inlines = [StepInline]


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
