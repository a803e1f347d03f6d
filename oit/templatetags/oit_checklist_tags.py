"""Template tags through which pages of apps below oit reach the OIT checklists (they import nothing of it):
``{% oit_department_entries as oit_entries %}`` on "my department's work" (measures/my_work.html), and beside it
``{% oit_department_problems as oit_problems %}``."""
from django import template

from ..checklists import department_entries
from ..readiness import problems_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def oit_department_entries(context):
    """The OIT checklist entries the request user's departments own and have not finished, earliest due date
    first (``checklists.department_entries``: a list of ``EntryToDo``)."""
    return department_entries(user=context["request"].user)


@register.simple_tag(takes_context=True)
def oit_department_problems(context):
    """The problems the latest readiness check found on the OIT entries the request user's departments own
    (``readiness.problems_for_user``: a list of ``Problem``, one query)."""
    return problems_for_user(user=context["request"].user)
