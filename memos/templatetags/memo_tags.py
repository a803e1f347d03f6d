"""Template tags through which pages of apps below memos reach memos (they import nothing of it):
``{% plan_memos plan as memos %}`` on the plan page."""
from django import template

from approvals.choices import Capacity

from ..selectors import memos_for_plan

register = template.Library()


@register.simple_tag
def plan_memos(plan):
    """The memos that carry ``plan`` or one of its reports, oldest first (``selectors.memos_for_plan``)."""
    return memos_for_plan(plan=plan)


@register.filter
def capacity_label(value: str | None) -> str:
    """The label of an ``approvals.choices.Capacity`` value ("รักษาราชการแทน"), "" for none (one's own right)."""
    return Capacity(value).label if value in Capacity.values else ""
