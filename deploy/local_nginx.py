"""``deploy/nginx.conf`` made runnable on this machine, unchanged but for addresses and paths (tests, bench).

    .venv/bin/python deploy/local_nginx.py --prefix /tmp/ita-nginx --port 8100 --portal 127.0.0.1:8101 \
        [--public 127.0.0.1:8102]      # writes /tmp/ita-nginx/nginx.conf and prints the command that runs it

``local_config`` rewrites the site for a private prefix: the micro-cache under ``<prefix>/cache``, the upstreams'
``127.0.0.1:8000`` / ``127.0.0.1:8001`` replaced by the given addresses, and either plain HTTP on one port
(``tls=None``: the HTTPS server listens on ``port``, its ``ssl_*`` lines dropped, the redirect server on
``redirect_port``) or TLS with the given certificate. ``main_config`` wraps it in the ``nginx.conf`` nginx starts
with (``events``, ``http``, a pid file, logs and temporary files in the prefix, one worker). Used by
``tests/test_deploy_nginx.py`` (``nginx -t`` and the cache in front of a live portal) and ``bench/public.py``."""
import argparse
import os
import re
import shutil
from pathlib import Path

SITE = Path(__file__).resolve().parent / "nginx.conf"
CACHE_PATH = "/var/cache/nginx/ita-public"
PORTAL = "127.0.0.1:8000"
PUBLIC = "127.0.0.1:8001"


def nginx_binary() -> str | None:
    """The nginx executable (Debian's ``/usr/sbin/nginx``), or None when it is not installed."""
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def local_config(site: str, *, prefix: Path, port: int, portal: str, public: str | None = None,
                 tls: tuple[Path, Path] | None = None, redirect_port: int | None = None) -> str:
    """``site`` (the text of deploy/nginx.conf) for a run under ``prefix``; ``public`` None: no public workers,
    the portal answers /p/ (the ``backup`` line of the site); ``tls`` (certificate, key) keeps HTTPS."""
    text = site.replace(CACHE_PATH, str(prefix / "cache"))
    if public:
        text = text.replace(PUBLIC, public)
    else:
        text = re.sub(rf"^\s*server {re.escape(PUBLIC)};\n", "", text, flags=re.M)
        text = text.replace(f"server {PORTAL} backup;", f"server {PORTAL};")
    text = text.replace(PORTAL, portal)
    text = re.sub(r"^(\s*)listen 80;", rf"\1listen 127.0.0.1:{redirect_port or 0};", text, flags=re.M)
    if redirect_port is None:  # no redirect server: drop it (the first server block listening on port 0)
        text = re.sub(r"server \{\n\s*listen 127\.0\.0\.1:0;.*?\n\}\n", "", text, flags=re.S)
    if tls:
        text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;")
        text = re.sub(r"(ssl_certificate\s+)\S+;", rf"\g<1>{tls[0]};", text)
        text = re.sub(r"(ssl_certificate_key\s+)\S+;", rf"\g<1>{tls[1]};", text)
    else:
        text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
        text = re.sub(r"^\s*ssl_\w+ .*\n", "", text, flags=re.M)
    return text


def main_config(*, prefix: Path, site_file: Path, worker_connections: int = 2048) -> str:
    """The top-level configuration around the site: everything nginx writes stays in ``prefix``. Started as root,
    its workers keep root's rights (nginx would run them as nobody, who may not reach a private temporary folder)."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections {worker_connections}; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {site_file};
}}
"""


def write(prefix: Path, **options) -> Path:
    """Write ``<prefix>/site.conf`` and ``<prefix>/nginx.conf`` (``options`` as ``local_config``); the latter's path."""
    prefix.mkdir(parents=True, exist_ok=True)
    site_file = prefix / "site.conf"
    site_file.write_text(local_config(SITE.read_text(), prefix=prefix, **options))
    config = prefix / "nginx.conf"
    config.write_text(main_config(prefix=prefix, site_file=site_file))
    return config


def command(config: Path, *extra: str) -> list[str]:
    """The command line that runs (or, with ``-t``, tests) ``config``: nginx in the foreground, its own prefix."""
    prefix = config.parent
    return [nginx_binary() or "nginx", "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(config), *extra]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--portal", required=True)
    parser.add_argument("--public")
    args = parser.parse_args()
    path = write(args.prefix.resolve(), port=args.port, portal=args.portal, public=args.public)
    print(" ".join(command(path)))
