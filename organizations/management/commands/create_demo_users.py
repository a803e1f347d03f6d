from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from organizations.choices import Role
from organizations.models import Department, Membership, Organization, OversightScope

# (username, password, role, department name or None): every demo user is a member of every organization.
DEMO_USERS = [
    ("demo", "demo-ita-portal", Role.ADMIN, None),
    ("executive", "demo-ita-portal", Role.EXECUTIVE, None),
    ("clerk", "demo-ita-portal", Role.CLERK, None),
]
# (username, password, organization slug, department name): staff (เจ้าหน้าที่) of one department of one
# organization, who report the progress of their department's measures (skipped when the seed is not loaded).
DEMO_STAFF = [
    ("staff", "demo-ita-portal", "khok-ma", "กองคลัง"),
]
# (username, password, organization slug, first name, last name): an executive of one organization who, on the demo
# route that `manage.py demo_route` sets next, acts for `executive` at the ปลัด's step (an acting signer, issue 22 §3);
# named as the official printed for them (หัวหน้าสำนักปลัด of เทศบาลตำบลโป่งน้ำร้อน in the seed).
DEMO_DEPUTY = ("deputy", "demo-ita-portal", "pong-nam-ron", "นราพร", "มิตรวิเชียร")
# Demo users get an address that never delivers (RFC 2606), so that `make run` prints their e-mails on the console
# (notifications: the memo route, the daily digest); an address someone typed is kept.
DEMO_EMAIL_DOMAIN = "demo.invalid"
# A superuser for local use (the Django admin at /admin/ and every organization), local settings only.
DEMO_SUPERUSER = ("admin", "admin-ita-portal")
# (username, password, province): read-only overseers; "" = the whole country.
DEMO_OVERSEERS = [
    ("oversight", "demo-ita-portal", ""),
    ("buriram", "demo-ita-portal", "บุรีรัมย์"),
]


class Command(BaseCommand):
    help = "Create demo users (local settings only) and print their log-ins."

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEMO_USERS_ENABLED:
            raise CommandError("Demo users are only created under the local settings (DEMO_USERS_ENABLED).")
        users = get_user_model().objects
        for username, password, role, _department in DEMO_USERS:
            user, _ = users.get_or_create(username=username)
            user.set_password(password)
            user.email = user.email or f"{username}@{DEMO_EMAIL_DOMAIN}"
            user.save()
            for organization in Organization.objects.all():
                Membership.objects.update_or_create(user=user, organization=organization, 
                                                  defaults={"role": role, "is_active": True, "ended_at": None})
            self.stdout.write(f"  log in as {username} / {password}  ({role.label})")
        for username, password, slug, name in DEMO_STAFF:
            department = Department.objects.filter(organization__slug=slug, name=name).select_related(
                "organization").first()
            if department is None:
                self.stdout.write(f"  (no {username}: {slug} has no department {name}; load the seed first)")
                continue
            user, _ = users.get_or_create(username=username)
            user.set_password(password)
            user.email = user.email or f"{username}@{DEMO_EMAIL_DOMAIN}"
            user.save()
            Membership.objects.update_or_create(
                user=user, organization=department.organization,
                defaults={"role": Role.STAFF, "department": department, "is_active": True, "ended_at": None})
            self.stdout.write(f"  log in as {username} / {password}  ({Role.STAFF.label}: {name}, "
                              f"{department.organization.name})")
        self._deputy(users)
        username, password = DEMO_SUPERUSER
        user, _ = users.get_or_create(username=username)
        user.set_password(password)
        user.is_superuser = user.is_staff = True
        user.save()
        self.stdout.write(f"  log in as {username} / {password}  (superuser: /admin/ and every organization)")
        for username, password, province in DEMO_OVERSEERS:
            user, _ = users.get_or_create(username=username)
            user.set_password(password)
            user.email = user.email or f"{username}@{DEMO_EMAIL_DOMAIN}"
            user.save()
            OversightScope.objects.get_or_create(user=user, province=province)
            self.stdout.write(f"  log in as {username} / {password}  (oversight: {province or 'whole country'})")

    def _deputy(self, users) -> None:
        username, password, slug, first_name, last_name = DEMO_DEPUTY
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            self.stdout.write(f"  (no {username}: there is no organization {slug}; load the seed first)")
            return
        user, _ = users.get_or_create(username=username)
        user.set_password(password)
        user.email = user.email or f"{username}@{DEMO_EMAIL_DOMAIN}"
        user.first_name, user.last_name = user.first_name or first_name, user.last_name or last_name
        user.save()
        Membership.objects.update_or_create(user=user, organization=organization,
                                            defaults={"role": Role.EXECUTIVE, "is_active": True, "ended_at": None})
        self.stdout.write(f"  log in as {username} / {password}  ({Role.EXECUTIVE.label}: {organization.name}; "
                          "acts for executive at the ปลัด's step of its demo route)")
