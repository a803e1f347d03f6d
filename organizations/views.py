"""Pages of organizations. Every lookup goes through ``organizations_for_user``: other organizations 404."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.paginators import LazyPaginator

from core.lockout import locked_usernames

from .filtersets import OrganizationFilterSet
from .forms import (
    DepartmentFormSet,
    MemberCreateForm,
    MemberInviteForm,
    MembershipChangeForm,
    OfficialFormSet,
    OrganizationSettingsForm,
)
from .models import Membership, Organization
from .permissions import rights_of
from .selectors import (
    active_memberships,
    garuda_data_uri,
    memberships_of_organization,
    organizations_for_user,
    second_factor_user_ids,
)
from .services import (
    member_create,
    member_password_reset,
    member_second_factor_off,
    member_unlock,
    membership_add,
    membership_change,
    membership_deactivate,
    official_signature_names,
    official_signatures_drop_unused,
    organization_settings_save,
    password_reset_send,
)
from .tables import OrganizationTable


def organization_for_request(request: HttpRequest, slug: str) -> Organization:
    """The organization ``slug`` if the user may see it; raises Http404 otherwise. A member's own organization
    comes with their memberships (``active_memberships``, read once per request for their rights and the top bar):
    no query of its own; others are looked up in their scope (``organizations_for_user``: oversight)."""
    for membership in active_memberships(user=request.user):
        if membership.organization.slug == slug:
            return membership.organization
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


# --- people: accounts and memberships (issue 13 §1; organization admins only) -----------------------------------

def _organization_to_manage(request: HttpRequest, slug: str) -> Organization:
    """The organization ``slug`` for one of its admins (or a superuser); 404 outside it, 403 for its other
    members and overseers."""
    organization = organization_for_request(request, slug)
    if not rights_of(user=request.user, organization=organization).can_manage:
        raise PermissionDenied
    return organization


def _membership(organization: Organization, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.active().filter(organization=organization).select_related("user"),
                             pk=pk)


def organization_members(request: HttpRequest, slug: str) -> HttpResponse:
    """The organization's users and roles, active first, with the ways to add, invite, change and deactivate."""
    organization = _organization_to_manage(request, slug)
    memberships = list(memberships_of_organization(organization=organization))
    users = [m.user for m in memberships if m.is_active]
    context = {"organization": organization, "memberships": memberships,
               "locked": locked_usernames(usernames=[u.get_username() for u in users]),
               "second_factor": second_factor_user_ids(users=users)}
    return render(request, "organizations/members.html", context)


def member_new(request: HttpRequest, slug: str) -> HttpResponse:
    """A new account with its role; an initial password or a password-reset e-mail."""
    organization = _organization_to_manage(request, slug)
    form = MemberCreateForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = member_create(
                organization=organization, username=data["username"], first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"], password=data["password"] or None,
                role=data["role"], department=data["department"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if data["send_reset"]:
                password_reset_send(user=membership.user, domain=request.get_host(), use_https=request.is_secure())
                messages.success(request, _("%(user)s was added; a password-reset e-mail was sent to %(email)s.")
                                 % {"user": membership.user.username, "email": membership.user.email})
            else:
                messages.success(request, _("%(user)s was added with the initial password you gave.")
                                 % {"user": membership.user.username})
            return redirect("organizations:organization_members", organization.slug)
    return render(request, "organizations/member_form.html",
                  {"organization": organization, "form": form, "heading": _("Add a new user")})


def member_invite(request: HttpRequest, slug: str) -> HttpResponse:
    """An existing account, by username or e-mail, given a role (a deactivated membership is activated again)."""
    organization = _organization_to_manage(request, slug)
    form = MemberInviteForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = membership_add(organization=organization, user=form.user, role=data["role"],
                                        department=data["department"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(user)s is now a member (%(role)s).")
                             % {"user": membership.user.username, "role": membership.get_role_display()})
            return redirect("organizations:organization_members", organization.slug)
    return render(request, "organizations/member_form.html",
                  {"organization": organization, "form": form, "heading": _("Invite an existing user")})


def membership_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Another role (and department) for an active member. The last admin cannot be demoted."""
    organization = _organization_to_manage(request, slug)
    membership = _membership(organization, pk)
    form = MembershipChangeForm(request.POST or None, organization=organization,
                                initial={"role": membership.role, "department": membership.department_id})
    if request.method == "POST" and form.is_valid():
        try:
            membership_change(membership=membership, role=form.cleaned_data["role"],
                              department=form.cleaned_data["department"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The role of %(user)s was changed.") % {"user": membership.user.username})
            return redirect("organizations:organization_members", organization.slug)
    return render(request, "organizations/member_form.html",
                  {"organization": organization, "form": form, "membership": membership,
                   "heading": _("Change the role of %(user)s") % {"user": membership.user.username}})


def membership_deactivate_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Ask, then deactivate a membership (the row is kept; it gives no right any more). The last admin cannot."""
    organization = _organization_to_manage(request, slug)
    membership = _membership(organization, pk)
    error = None
    if request.method == "POST":
        try:
            membership_deactivate(membership=membership, by=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("The membership of %(user)s was deactivated.")
                             % {"user": membership.user.username})
            return redirect("organizations:organization_members", organization.slug)
    return render(request, "organizations/membership_confirm_deactivate.html",
                  {"organization": organization, "membership": membership, "error": error})


# --- account help (issue 18 item 3; organization admins, their active members only) ------------------------------

def _member_to_help(request: HttpRequest, slug: str, pk: int) -> tuple[Organization, Membership]:
    """The organization and active membership for one of its admins (``_organization_to_manage``: 404 outside
    the organization, 403 for its other members), checked before the method so that outsiders learn nothing."""
    organization = _organization_to_manage(request, slug)
    return organization, _membership(organization, pk)


def member_unlock_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Unlock the member's log-in (failed attempts forgotten), then back to the people page."""
    organization, membership = _member_to_help(request, slug, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    member_unlock(membership=membership, by=request.user)
    messages.success(request, _("%(user)s can log in again.") % {"user": membership.user.username})
    return redirect("organizations:organization_members", organization.slug)


def member_password_reset_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Send the member a password-reset e-mail, then back to the people page (or why it could not be sent)."""
    organization, membership = _member_to_help(request, slug, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        member_password_reset(membership=membership, by=request.user, domain=request.get_host(),
                              use_https=request.is_secure())
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("A password-reset e-mail was sent to %(email)s.")
                         % {"email": membership.user.email})
    return redirect("organizations:organization_members", organization.slug)


def member_second_factor_off_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Turn off the member's second factor (a lost phone), then back to the people page."""
    organization, membership = _member_to_help(request, slug, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        member_second_factor_off(membership=membership, by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("The second factor of %(user)s was turned off: they log in with their "
                                    "password alone and can turn it on again.") % {"user": membership.user.username})
    return redirect("organizations:organization_members", organization.slug)
