"""Markers of the suite that need a check at collection (``tests/conftest.py``)."""

# What gives a test the database of its pass. A ``database_independent`` test asking for one is a mistake: .ci/run's
# PostgreSQL pass leaves those tests to the SQLite pass, so PostgreSQL would never see it. (A module fixture may read
# the seed documents through ``django_db_blocker``, as tests/reports/test_pdf_text.py does: the same rows in both.)
DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences",
                     "django_db_serialized_rollback", "client", "admin_client", "django_user_model"}


def database_independent_misuse(item) -> str | None:
    """Why ``item`` (a collected test), marked ``database_independent``, may reach the database of its pass; None
    when it is not marked or cannot."""
    if not item.get_closest_marker("database_independent"):
        return None
    if item.get_closest_marker("django_db"):
        return "it is marked django_db"
    if reached := sorted(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))):
        return f"it asks for {', '.join(reached)}"
    return None
