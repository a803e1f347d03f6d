"""``Assessment.indicators_below``: the indicators below the year's target as a bit mask (bit n − 1: indicator n),
filled here from the stored indicator scores as ``services.indicators_below`` computes it (the year's framework's
target, 85 without one), and added to the index of the overview's figures so they stay index-only."""

from django.db import migrations, models


BACKFILL = """
UPDATE assessments_assessment SET indicators_below = COALESCE((
    SELECT SUM(1 << (i.number - 1)) FROM assessments_indicatorscore s
    JOIN assessments_indicator i ON i.id = s.indicator_id
    WHERE s.assessment_id = assessments_assessment.id
      AND s.score < COALESCE((SELECT f.target FROM assessments_framework f
                              WHERE f.fiscal_year = assessments_assessment.fiscal_year), 85)), 0)
"""


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0006_list_indexes'),
        ('organizations', '0007_organization_website'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='assessment',
            name='assessment_org_year_figures',
        ),
        migrations.AddField(
            model_name='assessment',
            name='indicators_below',
            field=models.PositiveIntegerField(default=0, editable=False, help_text="Bit n − 1 is set when indicator n scores below the year's target (services.indicators_below).", verbose_name='indicators below the target'),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name='assessment',
            index=models.Index(fields=['organization', 'fiscal_year', 'score', 'level', 'id', 'indicators_below'], name='assessment_org_year_figures_2'),
        ),
    ]
