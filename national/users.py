"""The benchmark's users (``bench/national.py``): one per kind of reader the issue 9 targets are about."""
from django.contrib.auth import get_user_model
from django.db import transaction

from organizations.choices import Role
from organizations.models import Membership, Organization, OversightScope

BENCH_PASSWORD = "bench-ita-portal"  # the documented default (README, bench/README.md); local settings only
BENCH_PROVINCE = "นครราชสีมา"  # the province with the most organizations: the heaviest provincial office


@transaction.atomic
def bench_users_create(*, password: str, province: str, organization: Organization) -> dict[str, str]:
    """Create or update the three benchmark users, all with ``password``; returns username → what it reads:

    - ``bench-national``: oversight of the whole country (``OversightScope`` with province "");
    - ``bench-province``: oversight of ``province``;
    - ``bench-executive``: executive member of ``organization`` only (its dashboard is its home page).

    Idempotent: existing users get the password again and exactly these scopes and memberships."""
    users = get_user_model().objects
    made = {}
    for username, scope in (("bench-national", ""), ("bench-province", province), ("bench-executive", None)):
        user, _ = users.get_or_create(username=username)
        user.set_password(password)
        user.save()
        OversightScope.objects.filter(user=user).delete()
        Membership.objects.filter(user=user).delete()
        if scope is None:
            Membership.objects.create(user=user, organization=organization, role=Role.EXECUTIVE)
            made[username] = f"executive of {organization.slug} ({organization.name})"
        else:
            OversightScope.objects.create(user=user, province=scope)
            made[username] = f"oversight of {scope or 'the whole country'}"
    return made
