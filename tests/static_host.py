"""A local static host that behaves like GitHub Pages, for the tests that use the published site as its users do.

The site is served under a sub-path (/data-umkm/, as a project page is), GET and HEAD only (anything
else: 405), a folder answers only with its index.html (no listing: 404 without one; its address
without the slash: 301 to the slash), a query string is ignored (a static host serves the path), one
byte range is answered (206), and a missing file gets the site's 404.html with status 404.
"""

from __future__ import annotations

import http.server
import mimetypes
import threading
import urllib.parse
from pathlib import Path

TYPES = {
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".parquet": "application/vnd.apache.parquet",
    ".sqlite": "application/vnd.sqlite3",
    ".cff": "text/plain",
    ".ris": "application/x-research-info-systems",
    ".bib": "text/plain",
    ".md": "text/markdown",
    ".json": "application/json",
    ".xml": "application/xml",
    ".csv": "text/csv",
    ".txt": "text/plain",
}


class PagesHandler(http.server.BaseHTTPRequestHandler):
    server_version = "PagesLike/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    # GitHub Pages answers GET and HEAD; a POST (what ckanapi sends) is refused.
    def _refuse(self) -> None:
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse  # noqa: N815

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(body=True)

    def _answer(self, body: bool) -> None:
        root: Path = self.server.root  # type: ignore[attr-defined]
        prefix: str = self.server.prefix  # type: ignore[attr-defined]
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if not path.startswith(prefix) and path + "/" != prefix:
            return self._missing(body)
        if path + "/" == prefix:
            return self._redirect(prefix)
        relative = path[len(prefix) :]
        target = (root / relative).resolve() if root.exists() else root / relative
        if root.exists() and target != root.resolve() and root.resolve() not in target.parents:
            return self._missing(body)
        if target.is_dir():
            if not path.endswith("/"):
                return self._redirect(path + "/") if (target / "index.html").is_file() else self._missing(body)
            target = target / "index.html"
        if not target.is_file():
            return self._missing(body)
        data = target.read_bytes()
        kind = TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        start, end, status = 0, len(data) - 1, 200
        requested = self.headers.get("Range")
        if requested and requested.startswith("bytes=") and "," not in requested:
            first, _, last = requested[6:].partition("-")
            try:
                if first:
                    start, end = int(first), min(int(last) if last else len(data) - 1, len(data) - 1)
                else:
                    start, end = max(0, len(data) - int(last)), len(data) - 1
            except ValueError:
                start, end = 0, -1
            if start > end or start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(end - start + 1))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.end_headers()
        if body:
            self.wfile.write(data[start : end + 1])

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _missing(self, body: bool) -> None:
        page = self.server.root / "404.html"  # type: ignore[attr-defined]
        data = page.read_bytes() if page.is_file() else b"Not Found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)


class PagesHost(http.server.ThreadingHTTPServer):
    """``PagesHost(root, "data-umkm")``: serves the folder ``root`` (it may appear later: it is read at each
    request) at http://127.0.0.1:<port>/data-umkm/ in a thread, until ``close()``."""

    daemon_threads = True

    def __init__(self, root: Path, sub_path: str):
        super().__init__(("127.0.0.1", 0), PagesHandler)
        self.root, self.prefix = Path(root), f"/{sub_path.strip('/')}/"
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}{self.prefix}"

    def handle_error(self, request, client_address):  # a client that hangs up mid-answer: not an error
        pass

    def close(self) -> None:
        self.shutdown()
        self.server_close()
        self.thread.join()
