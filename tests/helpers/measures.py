"""The Khok Ma 2568 plan of the measure tests: its URLs and everything stored about it."""
from django.urls import reverse

from measures.models import Measure, MeasurePlan, Step

PLAN = ("khok-ma", 2568)


def measure_url(name: str, number: int | None = None) -> str:
    return reverse(f"measures:{name}", args=[*PLAN, number] if number else list(PLAN))


def measure_row(number: int) -> dict:
    """Everything stored about measure ``number`` of the plan: its fields, steps, owners and indicators."""
    measure = Measure.all_objects.get(plan__organization__slug=PLAN[0], plan__fiscal_year=PLAN[1], number=number)
    return {
        "fields": Measure.all_objects.filter(pk=measure.pk).values().get(),
        "steps": list(measure.steps.values_list("order", "text")),
        "owners": sorted(measure.owners.values_list("name", flat=True)),
        "indicators": sorted(measure.indicators.values_list("number", flat=True)),
    }


def plan_state() -> dict:
    plan = MeasurePlan.objects.get(organization__slug=PLAN[0], fiscal_year=PLAN[1])
    return {
        "measures": Measure.all_objects.filter(plan=plan).count(),
        "steps": Step.objects.filter(measure__plan=plan).count(),
        "rows": {n: measure_row(n) for n in plan.measures.values_list("number", flat=True)},
    }


MEASURE_EDIT = reverse("measures:measure_edit", args=["khok-ma", 2568, 2])
