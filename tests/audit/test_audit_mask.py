"""Secrets in the audit log (audit/registry.py ``MASKED``): the log records that a masked field changed but keeps
none of its value — not auditlog's default mask, which keeps the second half ("*****-pass")."""
import json

import pytest
from auditlog.models import LogEntry

from organizations.models import Organization
from reports.signing import organization_certificate_set

RUN = 4  # no run of this many characters of a secret may be in the log


def runs(secret: str, length: int = RUN) -> set[str]:
    return {secret[i:i + length] for i in range(len(secret) - length + 1)}


def stored_text(entry: LogEntry) -> str:
    """Everything the entry keeps about the change, as stored: changes, their text form and any serialized row."""
    return " ".join([json.dumps(entry.changes, ensure_ascii=False), entry.changes_text or "",
                     json.dumps(entry.serialized_data, ensure_ascii=False), entry.object_repr])


def latest_entry(organization: Organization) -> LogEntry:
    return LogEntry.objects.get_for_object(organization).order_by("-pk").first()


@pytest.mark.django_db
def test_a_masked_field_changed_keeps_no_run_of_its_value_in_the_log():
    organization = Organization.objects.get(slug="khok-ma")
    secret = "correct-horse-battery-staple-2569"
    organization.signing_passphrase = secret
    organization.save()
    entry = latest_entry(organization)
    assert "signing_passphrase" in entry.changes_dict  # the change itself is recorded
    text = stored_text(entry)
    assert not [run for run in runs(secret) if run in text], text


@pytest.mark.django_db
def test_setting_a_certificate_logs_none_of_the_encrypted_passphrase_nor_the_file_name(signing, khok_ma):
    organization_certificate_set(organization=khok_ma, pkcs12_data=signing.pkcs12.read_bytes(),
                                 passphrase=signing.passphrase)
    khok_ma.refresh_from_db()
    entry = latest_entry(khok_ma)
    assert {"signing_passphrase", "signing_pkcs12"} <= set(entry.changes_dict)
    text = stored_text(entry)
    for secret in (khok_ma.signing_passphrase, khok_ma.signing_pkcs12.name):  # the plain passphrase is not on the row
        assert not [run for run in runs(secret) if run in text], (secret, text)


@pytest.mark.django_db
def test_a_masked_value_says_only_whether_there_was_one_not_its_length():
    organization = Organization.objects.get(slug="khok-ma")
    masks = []
    for secret in ("gAAAAABn-a-short-token", "gAAAAABn-a-much-longer-token-of-another-length", ""):
        organization.signing_passphrase = secret
        organization.save()
        masks.append(latest_entry(organization).changes_dict["signing_passphrase"])
    assert masks[0][0] in ("", "None") and masks[2][1] in ("", "None")  # none before the first, none after the last
    assert masks[0][1] == masks[1][0] == masks[1][1] == masks[2][0] != ""  # one marker for every set value
