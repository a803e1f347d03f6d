"""Versions of the tables the overview reads, written by the database itself (issue 23 §6, issue 20 §5).

Why: the overview of 8,300 organizations reads too many rows to fingerprint them on every request (the dashboard's
way, ``dashboards.fingerprint``), and versions bumped by the services go stale the day one writer forgets (a bulk
``update()``, the admin, a shell, ``psql``). So every write to a table of ``dashboards.versions.VERSIONED_TABLES``,
whoever makes it, bumps the one row here (``ALL``) from a trigger (migration ``0001_data_versions``): on PostgreSQL
once per statement (``INSERT``, ``UPDATE``, ``DELETE``, ``COPY``, ``TRUNCATE``) to the next value of a sequence,
so a version never comes back, even after the table was emptied; on SQLite (local use, tests) once per row, by
one. The row is written in the writer's transaction: a reader sees the new version exactly when it sees the rows
(a version read before the rows may be older than they are, never newer: a body is never cached under a version
newer than its data). Concurrent writers of these tables wait for each other's commit on the version row; one row
for every table, so that two writers of two tables in opposite orders cannot deadlock on it.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

ALL = "*"  # the one row's name: the version of every table of dashboards.versions.VERSIONED_TABLES


class DataVersion(models.Model):
    """The version of the tables the overview reads (one row, ``name`` ``ALL``): changed by a trigger in the
    transaction of every write to any of them; never written by the portal's code."""

    name = models.CharField(_("table"), max_length=63, primary_key=True)
    version = models.BigIntegerField(_("version"))

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return f"{self.name} {self.version}"
