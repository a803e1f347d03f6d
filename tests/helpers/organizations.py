"""Organization pages: posting the settings form and officials' signature images."""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.models import MeasurePlan
from memos.selectors import plan_cover_memo
from organizations.models import Official
from tests.helpers.forms import form_data

URL = reverse("organizations:organization_settings", args=["khok-ma"])


def post_settings(client, **changes):
    data = form_data(client.get(URL).content.decode()) | changes
    return client.post(URL, data, follow=True)


PEOPLE = reverse("organizations:organization_people", args=["pong-nam-ron"])


def cover_memo():
    return plan_cover_memo(plan=MeasurePlan.objects.get(organization__slug="pong-nam-ron", fiscal_year=2567))


def drafter() -> Official:
    """The official who signs the cover memo of โป่งน้ำร้อน 2567 (seed 000)."""
    return cover_memo().drafter


def post_signature(client, official: Official, upload: SimpleUploadedFile | None = None, **changes):
    data = form_data(client.get(PEOPLE).content.decode())
    index = next(key.split("-")[1] for key, value in data.items()
                 if key.endswith("-id") and key.startswith("officials-") and value == str(official.pk))
    if upload is not None:
        data[f"officials-{index}-signature"] = upload
    for name, value in changes.items():
        data[f"officials-{index}-{name}"] = value
    return client.post(PEOPLE, data, follow=True), index
