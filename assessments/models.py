"""The ITA framework of each fiscal year (as data) and the assessments of organizations.

Rules that change from year to year — tools, weights, indicators, level rules — are rows of
``Framework`` and its children, loaded from ``data/frameworks.yaml`` (ita-framework.md §2–4).
"""
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def score_field(verbose_name, **kwargs) -> models.DecimalField:
    """A score: 0–100 with two decimals."""
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS, **kwargs
    )


def score_range_constraint(field: str, name: str) -> models.CheckConstraint:
    """Database rule: ``field`` is NULL or between 0 and 100."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True})
        | models.Q(**{f"{field}__gte": 0, f"{field}__lte": 100}),
        name=name,
        violation_error_message=_("A score must be between 0 and 100."),
    )


class Framework(models.Model):
    """The ITA rules of one fiscal year (BE): its tools, indicators, weights and levels."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), unique=True)
    target = score_field(_("target score"), default=Decimal("85"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["-fiscal_year"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self) -> str:
        return f"ITA {self.fiscal_year}"


class Tool(models.Model):
    """An assessment tool (IIT, EIT, OIT) and its weight in the ITA score of that year."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="tools")
    code = models.CharField(_("code"), max_length=8)
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(
        _("weight"), max_digits=4, decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["framework", "order"]
        verbose_name = _("tool")
        verbose_name_plural = _("tools")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="tool_unique_code")]

    def __str__(self) -> str:
        return self.code


class Indicator(models.Model):
    """One of the ten indicators (ตัวชี้วัด) of a year, measured by one tool."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    aliases = models.JSONField(_("other names"), default=list, blank=True)

    class Meta:
        ordering = ["framework", "number"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="indicator_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class LevelScale(models.TextChoices):
    """The scales NACC has published levels on (ita-framework.md §4): AA–F letters up to 2565, pass labels
    from 2566; 2566 published both ("ผ่าน ระดับ AA")."""

    PASS = "pass", _("Pass labels")
    LETTER = "letter", _("Letters AA–F")


class LevelRule(models.Model):
    """A result level on one scale: reached when the ITA score ≥ ``min_score`` and, if set, every tool score
    (and every published part score) ≥ ``min_tool_score``. Within a scale, rules are tried from the highest
    ``order`` down to the lowest; the first that holds gives the level (ita-framework.md §4). A year may carry
    two scales (2566: pass labels and letters); its primary scale is the pass labels when it has them."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="level_rules")
    scale = models.CharField(_("scale"), max_length=8, choices=LevelScale.choices, default=LevelScale.PASS)
    label = models.CharField(_("label"), max_length=50)
    min_score = score_field(_("minimum ITA score"))
    min_tool_score = score_field(_("minimum score of every tool"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        ordering = ["framework", "-order"]
        verbose_name = _("level rule")
        verbose_name_plural = _("level rules")

    def __str__(self) -> str:
        return self.label


class Assessment(models.Model):
    """An organization's ITA result for one fiscal year, with the figures NACC published."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("organization")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    official_score = score_field(_("published ITA score"), null=True, blank=True)
    official_level = models.CharField(_("published level"), max_length=50, blank=True)
    official_iit = score_field(_("published IIT score"), null=True, blank=True)
    official_eit = score_field(_("published EIT score"), null=True, blank=True)
    official_oit = score_field(_("published OIT score"), null=True, blank=True)
    official_level_letter = models.CharField(
        _("published letter level"), max_length=8, blank=True,
        help_text=_("The AA–F letter published beside the pass label (2566: “ผ่าน ระดับ AA”)."),
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    rank_scope = models.CharField(_("rank among"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    # Stored by ``services.assessment_scores_refresh`` / ``scores_refresh`` whenever scores change, so that lists,
    # dashboards and ranks read them in SQL (one rule, ``scoring.compute_assessment``; never recomputed per row).
    computed_iit = score_field(_("computed IIT score"), null=True, blank=True, editable=False)
    computed_eit = score_field(_("computed EIT score"), null=True, blank=True, editable=False)
    computed_oit = score_field(_("computed OIT score"), null=True, blank=True, editable=False)
    computed_score = score_field(_("computed ITA score"), null=True, blank=True, editable=False)
    computed_level = models.CharField(_("computed level"), max_length=50, blank=True, editable=False)
    computed_level_letter = models.CharField(_("computed letter level"), max_length=8, blank=True, editable=False)
    score = score_field(_("ITA score"), null=True, blank=True, editable=False,
                        help_text=_("The published score where there is one, else the computed one."))
    level = models.CharField(_("level"), max_length=50, blank=True, editable=False)
    level_letter = models.CharField(
        _("letter level"), max_length=8, blank=True, editable=False,
        help_text=_("The AA–F letter beside the level, in a year that carries both scales (2566)."))
    score_change = models.DecimalField(_("change from the previous year"), max_digits=6, decimal_places=2,
                                       null=True, blank=True, editable=False)
    rank_in_kind = models.PositiveIntegerField(_("rank within the kind, nationally"), null=True, blank=True,
                                               editable=False)
    rank_in_province = models.PositiveIntegerField(_("rank within the province"), null=True, blank=True,
                                                   editable=False)
    indicators_below = models.PositiveIntegerField(
        _("indicators below the target"), default=0, editable=False,
        help_text=_("Bit n − 1 is set when indicator n scores below the year's target (services.indicators_below)."))

    class Meta:
        ordering = ["organization", "-fiscal_year"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [
            # The overview's sorts by ITA, level and change read these in order (dashboards.tables, issue 23 §2).
            models.Index(fields=["fiscal_year", "score"], name="assessment_year_score"),
            models.Index(fields=["fiscal_year", "level"], name="assessment_year_level"),
            models.Index(fields=["fiscal_year", "score_change"], name="assessment_year_change"),
            # Every column the overview's figures and trend read for a filtered set of organizations
            # (dashboards.overview.year_figures / trend, with the indicators below the target): answered from the
            # index alone.
            models.Index(fields=["organization", "fiscal_year", "score", "level", "id", "indicators_below"],
                         name="assessment_org_year_figures_2"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"], name="assessment_unique_year",
                violation_error_message=_("This organization already has an assessment for that fiscal year."),
            ),
            score_range_constraint("official_score", "assessment_official_score_range"),
            score_range_constraint("official_iit", "assessment_official_iit_range"),
            score_range_constraint("official_eit", "assessment_official_eit_range"),
            score_range_constraint("official_oit", "assessment_official_oit_range"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} – ITA {self.fiscal_year}"

    @cached_property
    def framework(self) -> Framework | None:
        """The framework of this fiscal year (tools, indicators, level rules prefetched), or None."""
        return (
            Framework.objects.prefetch_related("tools", "indicators__tool", "level_rules")
            .filter(fiscal_year=self.fiscal_year)
            .first()
        )

    @property
    def level_text(self) -> str:
        """The stored level on every scale its year carries: "ผ่าน (B)" (2566), "ผ่านดี", "A", or ""."""
        if self.level and self.level_letter:
            return f"{self.level} ({self.level_letter})"
        return self.level or self.level_letter

    def official_tool_score(self, code: str) -> Decimal | None:
        """The published score of tool ``code`` (IIT/EIT/OIT), or None."""
        return getattr(self, f"official_{code.lower()}", None)


class IndicatorScore(models.Model):
    """The score of one indicator in an assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="indicator_scores",
                                   verbose_name=_("assessment"))
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="scores",
                                  verbose_name=_("indicator"))
    score = score_field(_("score"))

    class Meta:
        ordering = ["assessment", "indicator__number"]
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        indexes = [  # the overview's indicators below the target, for a filtered set of results (index-only)
            models.Index(fields=["assessment", "score", "indicator"], name="indicator_score_below"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="indicator_score_unique"),
            score_range_constraint("score", "indicator_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.score}"


class ToolPartScore(models.Model):
    """A published part score of a tool (EIT ส่วนที่ ๑ / ๒ from 2566)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="part_scores")
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="part_scores")
    part = models.PositiveSmallIntegerField(_("part"))
    score = score_field(_("score"))

    class Meta:
        ordering = ["assessment", "tool__order", "part"]
        verbose_name = _("part score")
        verbose_name_plural = _("part scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "tool", "part"], name="part_score_unique"),
            score_range_constraint("score", "part_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.tool} {self.part}: {self.score}"


class QuestionScore(models.Model):
    """A published sub-score of one question (i1…i30, e1…e15, o1…), code in lower case with Arabic digits."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="question_scores",
                                   verbose_name=_("assessment"))
    code = models.CharField(_("question code"), max_length=10)
    text = models.TextField(_("question"), blank=True)
    score = score_field(_("score"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["assessment", "order"]
        verbose_name = _("question score")
        verbose_name_plural = _("question scores")
        constraints = [score_range_constraint("score", "question_score_range")]

    def __str__(self) -> str:
        return f"{self.code}: {self.score}"


class Analysis(models.Model):
    """The organization's analysis of an assessment (การวิเคราะห์ผลการประเมิน)."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="analysis",
                                      verbose_name=_("assessment"))
    introduction = models.TextField(_("introduction"), blank=True)
    limitations = models.TextField(_("limitations"), blank=True)

    class Meta:
        verbose_name = _("analysis")
        verbose_name_plural = _("analyses")

    def __str__(self) -> str:
        return f"{self.assessment}"


class Finding(models.Model):
    """One issue found by the analysis, tied to indicators and question codes."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=500, blank=True)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="findings", verbose_name=_("indicators"))
    question_codes = models.JSONField(_("question codes"), default=list, blank=True)
    text = models.TextField(_("facts and analysis"), blank=True)
    recommendation = models.TextField(_("recommendation"), blank=True)

    class Meta:
        ordering = ["analysis", "number"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [models.UniqueConstraint(fields=["analysis", "number"], name="finding_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ScoreSummary(models.Model):
    """Aggregates of one fiscal year's stored scores for one province and kind, for the overview pages
    (refreshed by ``services.scores_refresh`` when scores change; never edited).

    ``level_counts``: level label → number of organizations; ``below_target``: indicator number (as text) →
    number of organizations whose indicator score is below the year's target (85, NACC).
    """

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    province = models.CharField(_("province"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=32)
    organizations = models.PositiveIntegerField(_("organizations assessed"), default=0)
    scored = models.PositiveIntegerField(_("organizations with a score"), default=0)
    score_sum = models.DecimalField(_("sum of scores"), max_digits=12, decimal_places=2, default=0)
    at_target = models.PositiveIntegerField(_("organizations at the target or above"), default=0)
    level_counts = models.JSONField(_("organizations per level"), default=dict)
    below_target = models.JSONField(_("organizations below the target per indicator"), default=dict)

    class Meta:
        ordering = ["fiscal_year", "province", "kind"]
        verbose_name = _("score summary")
        verbose_name_plural = _("score summaries")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "province", "kind"], name="score_summary_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.province} {self.kind}"
