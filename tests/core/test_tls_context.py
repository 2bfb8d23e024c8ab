"""The HTTP client's TLS context is httpx's default in every setting; only its CA bundle is read later."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
import pytest

from app.connections.tls import CaOnFirstUse, client_verify


def settings(context: ssl.SSLContext) -> dict:
    return {
        "protocol": context.protocol,
        "verify_mode": context.verify_mode,
        "check_hostname": context.check_hostname,
        "options": context.options,
        "verify_flags": context.verify_flags,
        "minimum_version": context.minimum_version,
        "maximum_version": context.maximum_version,
        "ciphers": [cipher["name"] for cipher in context.get_ciphers()],
        "keylog_filename": getattr(context, "keylog_filename", None),
    }


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR", "SSLKEYLOGFILE"):
        monkeypatch.delenv(name, raising=False)


def test_the_context_is_httpx_default_with_the_bundle_read_at_the_first_handshake() -> None:
    reference = httpx.create_ssl_context()
    context = client_verify(True)
    assert isinstance(context, CaOnFirstUse)
    assert settings(context) == settings(reference)
    assert context.cert_store_stats()["x509_ca"] == 0  # nothing read yet
    context.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="example.org")
    assert context.cert_store_stats() == reference.cert_store_stats()
    assert settings(context) == settings(reference)


def test_a_socket_handshake_reads_the_bundle_too() -> None:
    import socket

    context = client_verify(True)
    assert isinstance(context, ssl.SSLContext)
    left, right = socket.socketpair()
    with left, right, context.wrap_socket(left, server_hostname="example.org", do_handshake_on_connect=False):
        assert context.cert_store_stats()["x509_ca"] > 0


def test_nothing_verified_is_httpx_own_context() -> None:
    assert client_verify(False) is False


@pytest.mark.parametrize("variable", ["SSL_CERT_FILE", "SSL_CERT_DIR"])
def test_the_certificates_the_environment_names_are_read_as_httpx_reads_them(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    import certifi

    monkeypatch.setenv(variable, certifi.where() if variable == "SSL_CERT_FILE" else str(Path(certifi.where()).parent))
    reference = httpx.create_ssl_context()
    context = client_verify(True)
    assert isinstance(context, CaOnFirstUse)
    assert settings(context) == settings(reference)
    assert context.cert_store_stats()["x509_ca"] == 0
    context.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="example.org")
    assert context.cert_store_stats() == reference.cert_store_stats()


def test_a_key_log_file_is_honoured_as_httpx_does(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("SSLKEYLOGFILE", str(tmp_path / "keys.log"))
    context = client_verify(True)
    assert isinstance(context, ssl.SSLContext)
    assert settings(context) == settings(httpx.create_ssl_context())
