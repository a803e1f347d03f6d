"""factory_boy factories for new test data (the seeds stay the real-data tests)."""
import factory
from django.contrib.auth import get_user_model

from assessments.models import Assessment
from organizations.choices import OrganizationKind, Role
from organizations.models import Membership, Organization, OversightScope

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user-{n}")
    password = factory.django.Password(PASSWORD)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"เทศบาลตำบลทดสอบ {n}")
    kind = OrganizationKind.TAMBON_MUNICIPALITY
    amphoe = "เมือง"
    province = "บุรีรัมย์"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.EXECUTIVE


class OversightScopeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OversightScope

    user = factory.SubFactory(UserFactory)
    province = ""


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment with only published figures; call ``scores_refresh`` after creating some (as services do)."""

    class Meta:
        model = Assessment

    organization = factory.SubFactory(OrganizationFactory)
    fiscal_year = 2569
