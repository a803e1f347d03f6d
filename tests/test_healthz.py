"""The trivial view: the ceiling of the national benchmark (bench/national.py) and a liveness probe."""
import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_answers_ok_to_anyone_without_a_query(client, django_assert_num_queries):
    assert reverse("healthz") == "/healthz"
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"


@pytest.mark.django_db
def test_healthz_refuses_a_post(client):
    assert client.post("/healthz").status_code == 405
