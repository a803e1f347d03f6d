"""``manage.py demo_route``: the route of memos that ``make run`` gives เทศบาลตำบลโป่งน้ำร้อน (local settings only,
after ``create_demo_users``), so that a newcomer sends a memo as ``clerk`` at once and sees an acting signer:

1. ความเห็นปลัดเทศบาล — ``executive``, printed as นายเศกสรรค์ แก้วเชื้อ (ปลัดเทศบาล); the demo user ``deputy`` acts for
   them (รักษาราชการแทน), printed as นางนราพร มิตรวิเชียร (หัวหน้าสำนักปลัด), from the day the route is set for
   ``DEMO_ACTING_DAYS`` days (issue 22 §3; ``RoutingStep.objects.acting_on``);
2. ความเห็น/คำสั่งนายกเทศมนตรี — ``executive``, printed as นายพิบิจ เพชรนำชม (นายกเทศมนตรี), who approves.

Set through ``memos.services.routing_steps_set`` and only while the organization has no route: a later run keeps
the route as an admin left it (the routing page). Skipped, with a line saying why, without the seed organization,
its officials or the demo users."""
import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from approvals.choices import Capacity
from memos.models import RoutingStep
from memos.services import ActingInput, StepInput, routing_steps_set
from organizations.models import Organization

DEMO_ROUTE_ORGANIZATION = "pong-nam-ron"
# (title of the comment block, official printed under it, username of who decides there)
DEMO_ROUTE = [
    ("ความเห็นปลัดเทศบาล", "นายเศกสรรค์ แก้วเชื้อ", "executive"),
    ("ความเห็น/คำสั่งนายกเทศมนตรี", "นายพิบิจ เพชรนำชม", "executive"),
]
# The substitute of the first step: (username, official printed for them, capacity).
DEMO_SUBSTITUTE = ("deputy", "นางนราพร มิตรวิเชียร", Capacity.ACTING)
DEMO_ACTING_DAYS = 365  # the period runs from the day the route is set to this many days later, both included


class Command(BaseCommand):
    help = ("Give เทศบาลตำบลโป่งน้ำร้อน a demo route of memos with an acting signer (local settings only, after "
            "create_demo_users); a route already set is kept.")

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEMO_USERS_ENABLED:
            raise CommandError("The demo route is set only under the local settings (DEMO_USERS_ENABLED).")
        organization = Organization.objects.filter(slug=DEMO_ROUTE_ORGANIZATION).first()
        if organization is None:
            self.stdout.write(f"  (no demo route: there is no organization {DEMO_ROUTE_ORGANIZATION}; "
                              "load the seed first)")
            return
        if RoutingStep.objects.filter(organization=organization).exists():
            self.stdout.write(f"Kept the route of memos of {organization.name} as it is (the routing page "
                              "changes it).")
            return
        officials = {o.full_name: o for o in organization.officials.all()}
        users = get_user_model().objects.in_bulk(
            [username for *_, username in DEMO_ROUTE] + [DEMO_SUBSTITUTE[0]], field_name="username")
        substitute, substitute_official, capacity = DEMO_SUBSTITUTE
        missing = sorted({name for _title, name, _user in DEMO_ROUTE if name not in officials}
                         | ({substitute_official} - set(officials))
                         | {username for *_, username in DEMO_ROUTE if username not in users}
                         | ({substitute} - set(users)))
        if missing:
            self.stdout.write(f"  (no demo route: {organization.name} lacks {', '.join(missing)}; "
                              "run create_demo_users after loading the seed)")
            return
        start = timezone.localdate()
        end = start + dt.timedelta(days=DEMO_ACTING_DAYS)
        acting = ActingInput(substitute=users[substitute], official=officials[substitute_official],
                             capacity=capacity, start=start, end=end)
        routing_steps_set(organization=organization, steps=[
            StepInput(title, officials[official], users[username], acting=acting if order == 0 else None)
            for order, (title, official, username) in enumerate(DEMO_ROUTE)])
        (first, _name, holder), *rest = DEMO_ROUTE
        later = "".join(f" → {title} ({username})" for title, _name, username in rest)
        self.stdout.write(f"Set the demo route of memos of {organization.name}: {first} ({holder}; {substitute} acts "
                          f"for them, {capacity.label}, until {end:%Y-%m-%d}){later}")
