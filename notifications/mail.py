"""E-mail for people, in Thai, through Django's mail framework (issue 22 §1).

Three steps, so that no e-mail is ever sent inside a transaction or can fail the action that caused it:

1. the action (a step of a memo's route, an issued document) calls ``after_commit(task, *args)`` inside its
   transaction: nothing happens unless the transaction commits;
2. once it has committed, the task is handed to the background worker (``django.tasks``; the tests' immediate
   backend runs it at once);
3. the task reads what it needs, ``compose``\\s one e-mail per recipient (Thai, plain text and HTML, absolute links)
   and ``deliver``\\s them through the default mailer (``settings.MAILERS``): a message that cannot be sent is logged
   and the others still go.

The daily digest (``notifications.digest``) composes and delivers the same way from its command.
"""
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse``) as the address people open: ``settings.SITE_URL`` + ``path``. E-mails are
    composed in the worker and in commands, where there is no request to ask for the host."""
    return settings.SITE_URL + path


@dataclass(frozen=True)
class Mail:
    """One e-mail to one address (nobody sees another recipient's address): subject, plain text, HTML."""

    to: str
    subject: str
    body: str
    html: str = ""


def recipients(users: Iterable) -> list:
    """``users`` who can be written to: active, with an e-mail address; each once, in the order given."""
    seen, found = set(), []
    for user in users:
        if user is not None and user.is_active and user.email and user.pk not in seen:
            seen.add(user.pk)
            found.append(user)
    return found


def compose(*, users: Iterable, template: str, context: dict) -> list[Mail]:
    """One ``Mail`` per recipient (``recipients``) from ``templates/notifications/email/<template>``: the subject
    (``<template>.subject.txt``, one line), the text (``.txt``) and, when there is one, the HTML (``.html``),
    rendered in Thai (the portal's language, whatever the worker's) with ``context``, ``user`` (the recipient) and
    ``name``. ``context`` gives links as absolute addresses (``absolute_url``)."""
    mails = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in recipients(users):
            values = context | {"user": user, "name": user.get_full_name() or user.get_username()}
            subject = " ".join(render_to_string(f"notifications/email/{template}.subject.txt", values).split())
            body = render_to_string(f"notifications/email/{template}.txt", values).strip() + "\n"
            mails.append(Mail(to=user.email, subject=subject, body=body, html=_html(template, values)))
    return mails


def _html(template: str, values: dict) -> str:
    """The HTML alternative of ``template`` when it has one (``<template>.html``), else ""."""
    try:
        return get_template(f"notifications/email/{template}.html").render(values)
    except TemplateDoesNotExist:
        return ""


def deliver(mails: Iterable[Mail]) -> int:
    """Send ``mails`` through the default mailer (``settings.MAILERS["default"]``), one connection for all. A
    message that fails (a refused address, a mail server gone) is logged with its recipient and subject and the
    others still go. Returns how many were sent. Never raises."""
    mails = list(mails)
    if not mails:
        return 0
    sent = 0
    try:
        connection = mail.mailers.default
        connection.open()
    except Exception:
        logger.exception("The mail server could not be reached; %s e-mails not sent", len(mails))
        return 0
    try:
        for item in mails:
            message = mail.EmailMultiAlternatives(item.subject, item.body, settings.DEFAULT_FROM_EMAIL, [item.to])
            if item.html:
                message.attach_alternative(item.html, "text/html")
            try:
                sent += connection.send_messages([message]) or 0
            except Exception:
                logger.exception("E-mail to %s not sent: %s", item.to, item.subject)
    finally:
        try:
            connection.close()
        except Exception:
            logger.exception("Closing the mail connection failed")
    return sent


def after_commit(work: Callable, *args) -> None:
    """Enqueue the task ``work`` with ``args`` (JSON values: ids, strings) after the current transaction commits;
    dropped if it rolls back. An error while enqueueing is logged, never raised into the request."""
    def enqueue() -> None:
        try:
            work.enqueue(*args)
        except Exception:
            logger.exception("Could not enqueue %s%r", getattr(work, "name", work), args)

    transaction.on_commit(enqueue, robust=True)
