"""Uploads no row names: found under the folders of every model FileField and deleted after a grace period
(``manage.py cleanup_media``). They are left by saves rolled back inside an outer transaction, by a process
killed between writing a file and committing its row, or by rows deleted before files were cleaned up.

History rows (django-simple-history) keep the names of earlier files, but the files themselves go when they are
replaced: a history row is not a reference here.
"""
import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.core.files.storage import Storage
from django.db import models
from django.utils import timezone


@dataclass(frozen=True)
class Leftover:
    """A file no row names: its storage, its name in that storage, size in bytes and last modification."""

    storage: Storage
    name: str
    size: int
    modified: dt.datetime


def upload_fields() -> list[models.FileField]:
    """Every concrete FileField (ImageField included) of every installed model; history models store file names
    as text and are left out by construction."""
    return [field for model in apps.get_models() for field in model._meta.concrete_fields
            if isinstance(field, models.FileField)]


def _storage_key(storage: Storage) -> str:
    return str(getattr(storage, "location", id(storage)))


def _walk(storage: Storage, folder: str):
    """The names of all files under ``folder`` of ``storage``, recursively (``""`` when it does not exist)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}")


def leftover_files(*, older_than: dt.datetime) -> list[Leftover]:
    """The files under the top folder of each FileField's ``upload_to`` (``evidence``, ``garuda``, ``signatures``,
    ``organizations`` of the signing keys storage) that no row of any model names, last modified before
    ``older_than``; sorted by storage and name. Only those folders are looked at: nothing else under
    MEDIA_ROOT is touched. Reads every referenced name (one query per field)."""
    storages: dict[str, Storage] = {}
    folders: dict[str, set[str]] = {}
    referenced: dict[str, set[str]] = {}
    for field in upload_fields():
        key = _storage_key(field.storage)
        storages[key] = field.storage
        if isinstance(field.upload_to, str) and field.upload_to.split("/")[0].strip("%"):
            folders.setdefault(key, set()).add(field.upload_to.split("/")[0])
        names = field.model._base_manager.exclude(**{field.attname: ""}).values_list(field.attname, flat=True)
        referenced.setdefault(key, set()).update(names)
    leftovers = []
    for key, tops in sorted(folders.items()):
        storage = storages[key]
        for name in sorted(name for top in sorted(tops) for name in _walk(storage, top)):
            if name in referenced[key]:
                continue
            modified = storage.get_modified_time(name)
            if modified < older_than:
                leftovers.append(Leftover(storage, name, storage.size(name), modified))
    return leftovers


def leftover_files_delete(*, grace: dt.timedelta, dry_run: bool = False) -> list[Leftover]:
    """Delete (unless ``dry_run``) the ``leftover_files`` older than ``grace``; returns them."""
    leftovers = leftover_files(older_than=timezone.now() - grace)
    if not dry_run:
        for leftover in leftovers:
            leftover.storage.delete(leftover.name)
    return leftovers
