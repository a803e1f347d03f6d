"""A local website for the OIT readiness check's tests and bench: an HTTP server on 127.0.0.1 (a free port) in a
thread, serving pages with and without a year, errors, redirects, slow answers, a huge file and PDFs, and
counting how many requests it answers at once.

Paths:
- ``/year/<n>`` an HTML page showing the year n in Arabic digits, ``/thai-year/<n>`` in Thai digits;
- ``/no-year`` an HTML page without a year (a script holding "2569" and a style do not count);
- ``/pdf/<n>`` a one-page PDF whose text shows "Fiscal year n"; ``/file.bin`` bytes of another type;
- ``/status/<code>`` that status; ``/loop/a`` ⇄ ``/loop/b``; ``/chain/<n>`` n redirects, then a page of 2569;
- ``/to?u=<address>[&wait=<seconds>]`` a redirect to ``address`` (after that long);
- ``/slow/<seconds>`` an answer after that long; ``/huge/<megabytes>`` that many MB, unannounced (no
  Content-Length); ``/announced/<megabytes>`` only the headers announcing that size;
- ``/counted/<anything>`` a page of 2569 after 0.2 s (for counting requests at once);
- ``/big/<kilobytes>`` a page of 2569 of about that many kilobytes of Thai text (for the bench's memory).
"""
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def pdf_bytes(text: str) -> bytes:
    """A minimal one-page PDF printing ``text`` (ASCII) in Helvetica, with a correct cross-reference table."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def html_page(heading: str) -> bytes:
    return (f"<!doctype html><html lang=th><head><meta charset=utf-8><title>หน้าทดสอบ</title>"
            f"<style>.y:after{{content:'2569'}}</style><script>var year = 2569;</script></head>"
            f"<body><h1>{heading}</h1><p>ข้อมูลของเทศบาล</p></body></html>").encode()


class LocalSite:
    """The running server: ``url(path)``, the paths requested (``paths``), the most requests being answered at once
    on ``/counted/`` (``max_at_once``)."""

    def __init__(self):
        self.paths: list[str] = []
        self.at_once = 0
        self.max_at_once = 0
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802 - the standard library's name
                with site.lock:
                    site.paths.append(self.path)
                try:
                    site.answer(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str, *, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    @staticmethod
    def send(handler, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8",
             headers: dict | None = None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    def redirect(self, handler, location: str) -> None:
        self.send(handler, 302, b"", headers={"Location": location})

    def answer(self, handler) -> None:
        parts = urlsplit(handler.path)
        path = parts.path
        head, _slash, rest = path.lstrip("/").partition("/")
        if head == "year":
            self.send(handler, 200, html_page(f"รายงานผลการดำเนินงาน ปีงบประมาณ พ.ศ. {rest}"))
        elif head == "thai-year":
            self.send(handler, 200, html_page(f"รายงานผลการดำเนินงาน ปีงบประมาณ พ.ศ. {rest.translate(THAI_DIGITS)}"))
        elif head == "no-year":
            self.send(handler, 200, html_page("รายงานผลการดำเนินงาน"))
        elif head == "pdf":
            self.send(handler, 200, pdf_bytes(f"Fiscal year {rest}"), "application/pdf")
        elif head == "file.bin":
            self.send(handler, 200, b"\x00\x01" * 100, "application/octet-stream")
        elif head == "status":
            self.send(handler, int(rest), b"<html><body>error</body></html>")
        elif head == "loop":
            self.redirect(handler, "/loop/b" if rest == "a" else "/loop/a")
        elif head == "chain":
            count = int(rest)
            if count:
                self.redirect(handler, f"/chain/{count - 1}")
            else:
                self.send(handler, 200, html_page("ปีงบประมาณ 2569"))
        elif head == "to":
            query = parse_qs(parts.query)
            time.sleep(float(query.get("wait", ["0"])[0]))
            self.redirect(handler, query["u"][0])
        elif head == "slow":
            time.sleep(float(rest))
            self.send(handler, 200, html_page("ปีงบประมาณ 2569"))
        elif head == "big":
            filler = "<p>ข้อมูลการดำเนินงานของเทศบาลตามแผนปฏิบัติการประจำปี</p>" * (int(rest) * 1024 // 150 + 1)
            self.send(handler, 200, html_page(f"ปีงบประมาณ 2569 {filler}"))
        elif head == "counted":
            # Counted while the answer is being prepared, not while it is sent: the client has its whole answer,
            # and may free its slot for the next request, before this thread could count itself out.
            with self.lock:
                self.at_once += 1
                self.max_at_once = max(self.max_at_once, self.at_once)
            time.sleep(0.2)
            with self.lock:
                self.at_once -= 1
            self.send(handler, 200, html_page("ปีงบประมาณ 2569"))
        elif head == "huge":
            handler.send_response(200)
            handler.send_header("Content-Type", "application/pdf")
            handler.send_header("Connection", "close")
            handler.end_headers()
            chunk = b"0" * 65536
            for _n in range(int(rest) * 16):
                handler.wfile.write(chunk)
            handler.close_connection = True
        elif head == "announced":
            handler.send_response(200)
            handler.send_header("Content-Type", "application/pdf")
            handler.send_header("Content-Length", str(int(rest) * 1024 * 1024))
            handler.end_headers()
            handler.close_connection = True
        else:
            self.send(handler, 404, b"<html><body>not found</body></html>")


@contextmanager
def local_site():
    """Start a ``LocalSite`` for the block and stop it after."""
    site = LocalSite()
    site.thread.start()
    try:
        yield site
    finally:
        site.server.shutdown()
        site.server.server_close()
