"""Transport hints: an untrusted certificate suggests -k, `--http2` over plain http:// says it is HTTP/1.1.
Against a real TLS server on loopback (a throwaway self-signed certificate) and the demo server."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"hello")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test output is the client's."""


@pytest.fixture
def tls_url(tmp_path: Path) -> Iterator[str]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_untrusted_certificate_suggests_insecure(tls_url: str, sluice) -> None:
    result = sluice("run", tls_url)
    assert result.code == 1
    assert "-k/--insecure" in result.stderr, result.stderr
    insecure = sluice("run", tls_url, "-k")
    assert insecure.code == 0, insecure.stderr
    assert "hello" in insecure.stdout


def test_http2_over_plain_http_is_a_diagnostic(demo_server, sluice) -> None:
    result = sluice("run", f"{demo_server.base_url}/sse/flood?n=3", "--http2", "--jsonl")
    assert result.code == 0, result.stderr
    diagnostics = [line for line in result.lines if line["kind"] == "diagnostic"]
    assert len(diagnostics) == 1 and "HTTP/1.1" in diagnostics[0]["message"]
    opened = next(line for line in result.lines if line["kind"] == "open")
    assert opened["http_version"] == "HTTP/1.1"
