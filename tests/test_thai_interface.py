"""No English in the Thai interface (issue 13): every page a persona can open, rendered in Thai, shows no English
word — in its text, its options, its placeholders, titles and labels for screen readers.

Allowed: the names of the tools and formats (ITA, PDF, XLSX…), brands people know by name (Excel, Google
Authenticator…), the language chooser's "English", and what users typed (user names, seed texts that quote
English, e.g. "Integrity and Transparency Assessment"). Those come from ``ALLOWED`` and ``DATA``."""

import pytest
from django.urls import reverse

from tests.factories import OversightScopeFactory
from tests.helpers.thai import english_words
from tests.helpers.urls import OIT_ITEM_URLS, khok_ma_urls


@pytest.fixture
def personas(db, admin_user, staff_user, executive, clerk):
    oversight = OversightScopeFactory(province="").user  # the whole country
    return {"admin": admin_user, "staff": staff_user, "executive": executive, "clerk": clerk,
            "oversight": oversight}


@pytest.mark.django_db
def test_no_english_word_on_any_page_of_the_thai_interface_for_any_persona(client, personas):
    common = [reverse("home"), reverse("organizations:organization_list"), reverse("measures:measure_list"),
              reverse("measures:my_work"), reverse("dashboards:overview"), reverse("password_change"),
              reverse("two_factor"), reverse("notifications:preferences"), reverse("reports:verify_pdf"),
              *OIT_ITEM_URLS()]
    found = {}
    for name, user in personas.items():
        client.force_login(user)
        for url in common + khok_ma_urls():
            response = client.get(url, follow=True)
            if response.status_code != 200 or "text/html" not in response.headers.get("Content-Type", ""):
                continue
            words = english_words(response.content.decode(), {user.username, *user.username.split("-")})
            if words:
                found[f"{name} {url}"] = sorted(words)
    assert not found, "\n".join(f"{page}: {words}" for page, words in found.items())


@pytest.mark.django_db
def test_the_log_in_and_password_reset_pages_are_thai(client):
    for url in (reverse("login"), reverse("password_reset")):
        assert english_words(client.get(url).content.decode(), set()) == set(), url


@pytest.mark.django_db
def test_the_seed_organizations_pages_are_thai(demo_client):
    """Results and plans of the five seed organizations, with their transcribed notes (issue 13: seed notes were
    English). English words printed in the documents themselves ("Open Data", "Gift Policy") are data."""
    from assessments.models import Assessment
    from measures.models import MeasurePlan
    printed = {"Open", "Data", "Gift", "Policy", "facebook", "One", "stop", "demo", "all"}
    urls = [reverse("assessments:assessment_detail", args=[a.organization.slug, a.fiscal_year])
            for a in Assessment.objects.select_related("organization")]
    urls += [reverse("measures:plan_detail", args=[p.organization.slug, p.fiscal_year])
             for p in MeasurePlan.objects.select_related("organization")]
    found = {url: sorted(words) for url in urls
             if (words := english_words(demo_client.get(url).content.decode(), printed))}
    assert not found
