"""Helpers of the tests that run outside the test's transaction: threads on their own connections, servers and
workers in other processes. Their ``transaction=True`` tests end with a flush, so the module puts the session's
seed data back afterwards (import ``seed_data_after_the_module`` into the module: an autouse fixture)."""
import threading

import pytest
from django.db import connections

from tests.browser.helpers import ensure_seed_data


@pytest.fixture(scope="module", autouse=True)
def seed_data_after_the_module(django_db_setup, django_db_blocker):
    """Transactional tests flush the database: put the session's seed data back for the tests after them."""
    yield
    with django_db_blocker.unblock():
        ensure_seed_data()


def in_threads(functions) -> list:
    """Run each function in its own thread (each its own database connection), released together; their results
    (or the exceptions they raised) in order."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # noqa: BLE001 (the test inspects it)
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
