"""The version of what the overview shows, read in one query from ``DataVersion`` (``dashboards.models``).

``VERSIONED_TABLES`` are the tables the overview's page reads, except the measures (the page reads the measure
counts of its own 50 organizations on every request, ``dashboards.overview.measure_counts``, and compares them with
those its cached body was built from) and the user's session. Their triggers (migration ``0001_data_versions``)
change the one version row in the transaction of every write to them, so ``data_version()`` changes whenever any row
the overview reads changes, whoever wrote it. ``tests/dashboards/test_overview_cache.py`` captures the overview's
queries and fails when they read a table that is neither here nor among the measures.
"""
import hashlib

from assessments.models import Assessment, Framework, Indicator, IndicatorScore, LevelRule, ScoreSummary
from oit.models import Checklist
from organizations.models import Membership, Organization, OversightScope

from .models import ALL, DataVersion

VERSIONED_TABLES = tuple(model._meta.db_table for model in (
    Organization, Membership, OversightScope, Framework, Indicator, LevelRule, Assessment, IndicatorScore,
    ScoreSummary, Checklist))


def data_version() -> str:
    """A SHA-256 hex digest (64 characters) of the version of ``VERSIONED_TABLES``: it changes in the transaction
    of any write to any of them. One query (one row)."""
    rows = DataVersion.objects.filter(name=ALL).values_list("name", "version")
    return hashlib.sha256(";".join(f"{name}={version}" for name, version in rows).encode()).hexdigest()
