"""The one signal of the app: deleting a progress row deletes its evidence file (after the commit).

A signal, not a service, because rows go with their report, measure, plan or organization by CASCADE — from the
admin or any future delete — and only ``post_delete`` sees each of them. It touches files, not the domain.
"""
from django.db.models.signals import post_delete
from django.dispatch import receiver

from core.uploads import files_delete_on_commit

from .models import ProgressEntry


@receiver(post_delete, sender=ProgressEntry, dispatch_uid="progress_entry_evidence_file_delete")
def progress_entry_evidence_file_delete(sender, instance: ProgressEntry, **kwargs) -> None:
    """Delete the evidence file of a deleted progress row once the transaction commits (if no row names it)."""
    if instance.evidence_file:
        files_delete_on_commit(ProgressEntry._meta.get_field("evidence_file"), [instance.evidence_file.name])
