#!/usr/bin/env python
"""Django's command-line utility for the ITA portal."""
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings.local")
    # Commands and the worker may run statements longer than a web request's (settings: STATEMENT_TIMEOUT_SECONDS);
    # runserver serves web requests and keeps theirs.
    if sys.argv[1:2] != ["runserver"]:
        os.environ.setdefault("ITA_PROCESS", "command")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
