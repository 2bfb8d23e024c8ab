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
    """`httpx.create_ssl_context()`'s context (certifi's CA bundle, hostnames checked) that reads the bundle
    on its first handshake. `ssl.create_default_context` builds the same, eagerly."""

    _ca_loaded = False

    def _load_ca(self) -> None:
        if not self._ca_loaded:
            import certifi

            self.load_verify_locations(cafile=certifi.where())
            self._ca_loaded = True

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self._load_ca()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self._load_ca()
        return super().wrap_bio(*args, **kwargs)


def client_verify(verify_tls: bool) -> ssl.SSLContext | bool:
    """What to pass as httpx's `verify`: the deferred default context, or httpx's own choice where the
    environment names the CA certificates (`SSL_CERT_FILE`, `SSL_CERT_DIR`) or nothing is verified."""
    if not verify_tls or os.environ.get("SSL_CERT_FILE") or os.environ.get("SSL_CERT_DIR"):
        return verify_tls
    context = CaOnFirstUse(ssl.PROTOCOL_TLS_CLIENT)
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    if hasattr(context, "keylog_filename"):
        keylog = os.environ.get("SSLKEYLOGFILE")
        if keylog:
            context.keylog_filename = keylog  # as ssl.create_default_context and httpx both do
    return context
