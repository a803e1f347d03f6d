"""WSGI entry point.

Once Django is loaded, the objects it made (models, URL patterns, settings, translations: about 150,000 in a
worker) are moved out of the garbage collector's reach (``gc.freeze()``): they live as long as the process, and
every full collection walked them again: 0.4 ms of the 9.5 ms of CPU of a measure-list request (issue 23; figures in
docs/benchmarks/2026-12-06-national-fifth-round.md). Reference counting still frees everything; only cycles among
the frozen objects would stay, and those live for the process anyway."""
import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings.production")
application = get_wsgi_application()
gc.collect()
gc.freeze()
