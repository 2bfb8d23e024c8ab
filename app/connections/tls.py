"""The TLS context of Sluice's HTTP client: httpx's own default, with its CA bundle read only when needed.

httpx builds a verifying context for every client, `https://` or not, and reading certifi's bundle into
it is most of that cost (20-40 ms, a tenth of a headless run's start-up). A plain `http://` stream never
uses it; a redirect to `https://` may. So the context is httpx's default in every setting, and loads the
bundle just before its first handshake.
"""

from __future__ import annotations

import os
import ssl
from typing import Any


class CaOnFirstUse(ssl.SSLContext):
    """`httpx.create_ssl_context()`'s context (hostnames checked, the CA certificates httpx would choose)
    that reads the certificates on its first handshake. `ssl.create_default_context` builds the same,
    eagerly. `cafile`/`capath` name them; with neither, certifi's bundle is read."""

    _ca_loaded = False
    _cafile: str | None = None
    _capath: str | None = None

    def _load_ca(self) -> None:
        if not self._ca_loaded:
            if self._cafile is None and self._capath is None:
                import certifi

                self.load_verify_locations(cafile=certifi.where())
            else:
                self.load_verify_locations(cafile=self._cafile, capath=self._capath)
            self._ca_loaded = True

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self._load_ca()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self._load_ca()
        return super().wrap_bio(*args, **kwargs)


def client_verify(verify_tls: bool) -> ssl.SSLContext | bool:
    """What to pass as httpx's `verify`: the deferred default context, with the CA certificates httpx
    would read (`SSL_CERT_FILE`, else `SSL_CERT_DIR`, else certifi's bundle); False verifies nothing."""
    if not verify_tls:
        return False
    context = CaOnFirstUse(ssl.PROTOCOL_TLS_CLIENT)
    if os.environ.get("SSL_CERT_FILE"):
        context._cafile = os.environ["SSL_CERT_FILE"]
    elif os.environ.get("SSL_CERT_DIR"):
        context._capath = os.environ["SSL_CERT_DIR"]
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    if hasattr(context, "keylog_filename"):
        keylog = os.environ.get("SSLKEYLOGFILE")
        if keylog:
            context.keylog_filename = keylog  # as ssl.create_default_context and httpx both do
    return context
