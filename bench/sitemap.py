"""Benchmark of the sitemap at national scale (issue 21 §4; public/sitemaps.py). Run by hand; not part of the tests.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<copy of nat> REDIS_URL=redis://127.0.0.1:6379/<n> \\
        .venv/bin/python bench/sitemap.py [--publish] [--limit 50000]

``--publish`` first publishes every organization's assessed years (``public.Publication`` rows in bulk; rows
already there are kept) — never on a database others use. Then, in this process (Django's test client, no web
server, ``DEBUG`` off), each file is fetched **cold** (the public pages' server cache emptied first,
``public.cache.version_bump``): ``/sitemap.xml`` and, when it is an index, every file it lists. Printed per file:
seconds, URLs, bytes, and the largest file against the protocol's limits (50,000 URLs, 50 MB)."""
import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings.local")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publish", action="store_true")
    parser.add_argument("--limit", type=int, default=None, help="PUBLIC_SITEMAP_LIMIT (default: the setting)")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from public import cache

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    if args.limit:
        settings.PUBLIC_SITEMAP_LIMIT = args.limit
    if args.publish:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO public_publication (organization_id, fiscal_year, published_at) "
                           "SELECT DISTINCT organization_id, fiscal_year, now() FROM assessments_assessment "
                           "ON CONFLICT DO NOTHING")
            print(f"published {cursor.rowcount} years")
    client = Client(HTTP_HOST="ita.example.go.th")
    files = ["/sitemap.xml"]
    total_urls, largest = 0, (0, 0)
    while files:
        path = files.pop(0)
        cache.version_bump()
        started = time.perf_counter()
        response = client.get(path)
        seconds = time.perf_counter() - started
        body = response.content.decode()
        locs = re.findall(r"<loc>(.*?)</loc>", body)
        if "<sitemapindex" in body:
            files += [loc.removeprefix("http://ita.example.go.th") for loc in locs]
            print(f"{path:32} {response.status_code} {seconds:7.2f} s  index of {len(locs)} files, {len(body):,} B")
            continue
        total_urls += len(locs)
        largest = max(largest, (len(locs), len(body)))
        print(f"{path:32} {response.status_code} {seconds:7.2f} s  {len(locs):7,} URLs  {len(body):12,} B")
    print(f"total {total_urls:,} URLs; largest file {largest[0]:,} URLs, {largest[1] / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
