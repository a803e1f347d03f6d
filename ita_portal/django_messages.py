"""Django's own messages that its Thai catalogue leaves in English (the password validators and password forms,
the empty choice of a select).

Nothing calls this module. It exists so that ``makemessages`` copies these msgids, exactly as Django writes them,
into our catalogue (locale/th), whose translations take precedence over Django's (LOCALE_PATHS). Keep each string
byte for byte as in django/contrib/auth (curly apostrophes included)."""
from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = (
    ngettext_lazy("This password is too short. It must contain at least %d character.",
                  "This password is too short. It must contain at least %d characters.", 8),
    ngettext_lazy("Your password must contain at least %(min_length)d character.",
                  "Your password must contain at least %(min_length)d characters.", 8),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Enter the same password as before, for verification."),
    # django/db/models/utils.py: the empty choice of a select (Django 6.1)
    gettext_noop("- Select an option -"),
    # django_tables2/templates/django_tables2/table.html: the pager
    gettext_noop("previous"),
    gettext_noop("next"),
)
