"""Helpers for the services of every app (issue 19 §3, after the HackSoft styleguide)."""
from typing import Any

from django.db import models


def model_update[M: models.Model](instance: M, *, fields: list[str], data: dict[str, Any]) -> tuple[M, bool]:
    """Set on ``instance`` the ``fields`` (the allow-list) that ``data`` holds, then ``full_clean`` and save.

    Keys of ``data`` outside ``fields`` are ignored; a name in ``fields`` that is not a field of the model is a
    programming error (``AssertionError``). Many-to-many fields are ``set`` after the save. An instance that is
    not stored yet is saved whole; a stored one only when a value differs, with ``update_fields`` naming the
    changed fields. Returns the instance and whether anything changed. ``full_clean`` raises ``ValidationError``
    before anything is written."""
    model_fields = {field.name: field for field in instance._meta.get_fields()}
    changed: list[str] = []
    many: dict[str, Any] = {}
    for name in fields:
        field = model_fields.get(name)
        settable = field is not None and (field.concrete or (field.many_to_many and not field.auto_created))
        assert settable, f"{type(instance).__name__} has no field {name!r}"
        if name not in data:
            continue
        if isinstance(field, models.ManyToManyField):
            many[name] = data[name]
        elif getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    adding = instance._state.adding
    if adding or changed:
        instance.full_clean()
        if adding:
            instance.save()
        else:
            changed += [f.name for f in instance._meta.concrete_fields
                        if getattr(f, "auto_now", False) and f.name not in changed]
            instance.save(update_fields=changed)
    for name, values in many.items():
        related = getattr(instance, name)
        before = set(related.values_list("pk", flat=True))
        related.set(values)
        if set(related.values_list("pk", flat=True)) != before:
            changed.append(name)
    return instance, adding or bool(changed)
