"""Pages of organizations. Every lookup goes through ``organizations_for_user``: other organizations 404."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.paginators import LazyPaginator

from assessments.models import Framework

from .filtersets import OrganizationFilterSet
from .forms import DepartmentFormSet, OfficialFormSet, OrganizationSettingsForm
from .models import Organization
from .permissions import rights_of
from .selectors import garuda_data_uri, organizations_for_user
from .services import official_signature_names, official_signatures_drop_unused, organization_settings_save
from .tables import OrganizationTable


def organization_for_request(request: HttpRequest, slug: str) -> Organization:
    """The organization ``slug`` if the user may see it; raises Http404 otherwise."""
    return get_object_or_404(organizations_for_user(user=request.user), slug=slug)


class OrganizationListView(SingleTableMixin, FilterView):
    table_class = OrganizationTable
    filterset_class = OrganizationFilterSet
    template_name = "organizations/organization_list.html"
    table_pagination = {"per_page": 50, "paginator_class": LazyPaginator}

    def get_queryset(self):
        return organizations_for_user(user=self.request.user)


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for_request(request, slug)
    context = {
        "organization": organization,
        "departments": organization.departments.all(),
        "officials": organization.officials.select_related("department"),
        "assessments": organization.assessments.all(),
        "plans": organization.measure_plans.select_related("assessment"),
        "memos": organization.memos.select_related("drafter"),
        "can_edit": rights_of(user=request.user, organization=organization).can_manage,
        "framework_years": Framework.objects.values_list("fiscal_year", flat=True),
    }
    return render(request, "organizations/organization_detail.html", context)


def organization_people(request: HttpRequest, slug: str) -> HttpResponse:
    """Departments and officials of the organization (organization admins); all or nothing. A department added
    here can be chosen for an official after this save (the officials' choices are the stored departments)."""
    organization = organization_for_request(request, slug)
    if not rights_of(user=request.user, organization=organization).can_manage:
        raise PermissionDenied
    post = request.POST or None
    departments = DepartmentFormSet(post, instance=organization, prefix="departments")
    officials = OfficialFormSet(post, request.FILES if post is not None else None, instance=organization,
                                prefix="officials", form_kwargs={"organization": organization})
    if post is not None and departments.is_valid() and officials.is_valid():
        with transaction.atomic():
            images_before = official_signature_names(organization=organization)
            last = max((d.order for d in organization.departments.all()), default=0)
            for department in departments.save(commit=False):
                if department.pk is None:  # new departments come after the existing ones
                    last += 1
                    department.order = last
                department.save()
            for department in departments.deleted_objects:
                department.delete()
            officials.save()
            official_signatures_drop_unused(organization=organization, before=images_before)
        messages.success(request, _("Departments and officials were saved."))
        return redirect("organizations:organization_detail", organization.slug)
    context = {"organization": organization, "departments": departments, "officials": officials}
    return render(request, "organizations/people_form.html", context)


def organization_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """What the organization's documents print: document number prefix, telephone, the outgoing register's year
    (calendar or fiscal) and the Garuda image (organization admins; other organizations 404)."""
    organization = organization_for_request(request, slug)
    if not rights_of(user=request.user, organization=organization).can_manage:
        raise PermissionDenied
    posted = request.method == "POST"
    form = OrganizationSettingsForm(request.POST if posted else None, request.FILES if posted else None,
                                    instance=organization)
    if posted and form.is_valid():
        organization_settings_save(form=form)
        messages.success(request, _("The organization's settings were saved."))
        return redirect("organizations:organization_detail", organization.slug)
    # The preview shows the stored image: a refused form has already put its values on ``organization``.
    stored = Organization.objects.get(pk=organization.pk) if posted else organization
    context = {"organization": organization, "form": form, "garuda_uri": garuda_data_uri(stored)}
    return render(request, "organizations/settings_form.html", context)
