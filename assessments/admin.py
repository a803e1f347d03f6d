from django.contrib import admin

from .models import Analysis, Assessment, Finding, Framework, Indicator, IndicatorScore, LevelRule, Tool


class ToolInline(admin.TabularInline):
    model = Tool
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


class LevelRuleInline(admin.TabularInline):
    model = LevelRule
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "target"]
    inlines = [ToolInline, IndicatorInline, LevelRuleInline]


class IndicatorScoreInline(admin.TabularInline):
    model = IndicatorScore
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["organization", "fiscal_year", "official_score", "official_level"]
    list_filter = ["fiscal_year"]
    inlines = [IndicatorScoreInline]


class FindingInline(admin.StackedInline):
    model = Finding
    extra = 0


@admin.register(Analysis)
class AnalysisAdmin(admin.ModelAdmin):
    inlines = [FindingInline]
