"""Django's own messages that its Thai catalogue leaves in English (the password validators and password forms;
the empty choice of a select; the tables2 pager; the form messages of issue 12 §7: NUL characters, text length,
formset limits, the management form, number digits; the choice errors of issue 18 §8: ``owners=abc``).

Nothing calls this module. It exists so that ``makemessages`` copies these msgids, exactly as Django writes them,
into our catalogue (locale/th), whose translations take precedence over Django's (LOCALE_PATHS). Keep each string
byte for byte as in django/contrib/auth, django/core/validators.py and django/forms/formsets.py (curly apostrophes
included); Django 6.1's wording."""
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
    # django/core/validators.py: ProhibitNullCharactersValidator, MaxLengthValidator, MinLengthValidator,
    # DecimalValidator
    gettext_noop("Null characters are not allowed."),
    ngettext_lazy("Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
                  "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).", "limit_value"),
    ngettext_lazy("Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
                  "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).", "limit_value"),
    ngettext_lazy("Ensure that there are no more than %(max)s digit in total.",
                  "Ensure that there are no more than %(max)s digits in total.", "max"),
    ngettext_lazy("Ensure that there are no more than %(max)s decimal place.",
                  "Ensure that there are no more than %(max)s decimal places.", "max"),
    ngettext_lazy("Ensure that there are no more than %(max)s digit before the decimal point.",
                  "Ensure that there are no more than %(max)s digits before the decimal point.", "max"),
    gettext_noop("Enter a valid integer."),
    # django/forms/models.py: ModelMultipleChoiceField "invalid_pk_value" (a forged ``owners=abc``);
    # django/db/models/fields/__init__.py: Field "invalid_choice" (a model's choices, checked by full_clean)
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("Value %(value)r is not a valid choice."),
    # django/forms/formsets.py: BaseFormSet.default_error_messages
    gettext_noop("ManagementForm data is missing or has been tampered with. Missing fields: "
                 "%(field_names)s. You may need to file a bug report if the issue persists."),
    ngettext_lazy("Please submit at most %(num)d form.", "Please submit at most %(num)d forms.", "num"),
    ngettext_lazy("Please submit at least %(num)d form.", "Please submit at least %(num)d forms.", "num"),
)
