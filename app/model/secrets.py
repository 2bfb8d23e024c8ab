"""What counts as a credential, so that printers and exports mask it unless the user asks to reveal it.

One definition for every place that shows or writes a request: the `--jsonl` and human printers,
`sluice export curl`, the warning `sluice import curl` gives about literal credentials, the TUI's offer
to move a credential into `.env` when a request or an environment is saved, and its masked previews.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.model.known_secrets import KNOWN_SECRETS, MASK, PLAIN_VALUE

if TYPE_CHECKING:
    from app.events import EventPayload
    from app.model.request_definition import RequestDefinition


_AUTH_HEADERS = ("authorization", "proxy-authorization")
_URL_HEADERS = ("location", "content-location", "referer")
_CHALLENGE_HEADERS = ("www-authenticate", "proxy-authenticate")
"""A server's challenge (`Bearer realm="api", error="invalid_token"`): the scheme and its parameters, no
credential; masking it would hide why a request was refused."""
# Names as the tools people compare Sluice with hide them (Postman's and Bruno's secret variables, curl's
# trace of `Authorization`, the filters of Rails and Sentry): any `*token*`, `*secret*`, `*api-key*`,
# `*password*`/`passwd`/`pwd`, `*credential*`, a name ending in `key` (`Ocp-Apim-Subscription-Key`), a
# bare `auth` (`X-Auth`), signatures (`X-Hub-Signature-256`) and JWTs. Not `session`: `session_id` is how
# chat APIs name a conversation, and a session cookie is masked as a cookie.
_SECRET_HEADER = re.compile(
    r"authorization|cookie|token|secret|api[-_]?key|passw(or)?d|credential"
    r"|(^|[-_])(key|apikey|auth|pwd|jwt)$|(^|[-_])signature($|[-_])",
    re.IGNORECASE,
)
_SECRET_PARAM = re.compile(
    r"token|secret|api[-_]?key|passw(or)?d|credential"
    r"|(^|[-_])(key|apikey|sig|signature|pass|pwd|auth|jwt)$",
    re.IGNORECASE,
)
_REDIRECT_PARAMS = ("code",)
"""An OAuth authorization code, masked in a URL a response header carries (`Location: …?code=…`) only:
in a request's own query `code=US` is a country far more often, and calling it a credential would have
`sluice import curl` refuse the command."""
_AUTH_SCHEME = re.compile(
    r"(Bearer|Basic|Digest|Token|Negotiate|NTLM|DPoP|Hawk|AWS4-HMAC-SHA256|GoogleLogin|SharedKey|SSWS)[ \t]+\S",
    re.IGNORECASE,
)
"""A value that is a credential whatever its header is named (`X-Upstream-Auth: Bearer sk-…`)."""
_TOKEN_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9_\-])(?:(?:sk|rk)[-_](?=[A-Za-z0-9_\-]*\d)[A-Za-z0-9_\-]{20,}|gh[pousr]_[A-Za-z0-9]{30,}"
    r"|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_\-]{20,}|xox[abposr]-[A-Za-z0-9\-]{10,}|AKIA[0-9A-Z]{16}"
    r"|AIza[0-9A-Za-z_\-]{35}|eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*)"
)
"""A well-known key anywhere in a URL or a header value (`/v1/sk-proj-…/chat`), whole, with a digit in an
`sk-` one so that `/sk-learn-tutorial-for-beginners` is left alone."""



def is_secret_header(name: str) -> bool:
    """`Authorization`, `Cookie`, `x-api-key`, `X-Auth-Token`, …"""
    return bool(_SECRET_HEADER.search(name))


def is_secret_param(name: str) -> bool:
    """Query parameters and variables such as `api_key`, `access_token`, `sig`, `password`."""
    return bool(_SECRET_PARAM.search(name))


def mask_header(name: str, value: str) -> str:
    """Hide a credential header's value, keeping an auth scheme (`Bearer ****`) so the output says what was sent;
    a header holding a URL (`Location` of an OAuth redirect: `#access_token=…`) has that URL's credentials masked."""
    lowered = name.lower()
    if lowered in _URL_HEADERS:
        return mask_url(value, redirect=True)
    if lowered in _CHALLENGE_HEADERS:
        return KNOWN_SECRETS.mask(value)
    if lowered in _AUTH_HEADERS or _AUTH_SCHEME.match(value):
        scheme, space, _ = value.partition(" ")
        return f"{scheme} {MASK}" if space else MASK
    if value and is_secret_header(name):
        return MASK
    return mask_value(value)


def mask_value(text: str) -> str:
    """`text` (a query parameter's value, a path) with secret variables' values and well-known key shapes masked."""
    return _TOKEN_IN_TEXT.sub(MASK, KNOWN_SECRETS.mask(text))


def mask_headers(headers: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple((name, mask_header(name, value)) for name, value in headers)


def mask_url(url: str, *, redirect: bool = False) -> str:
    """Mask the credentials a URL carries, leaving the rest as it was: the password in its userinfo
    (`user:****@host`; a userinfo without a password is masked whole, `****@host`, since a lone name there
    is usually a token), credential-like query and fragment parameters (`?api_key=****`,
    `#access_token=****`), the values of secret variables and well-known key shapes wherever they are
    (`/v1/****/chat`); with `redirect`, a URL a response sent the client to, its OAuth `code` too.
    HTTP and WebSocket URLs alike."""
    url = mask_value(_mask_userinfo(url))
    base, hash_mark, fragment = url.partition("#")
    base, question, query = base.partition("?")
    if question:
        base = f"{base}?{_mask_parameters(query, redirect)}"
    if hash_mark and "=" in fragment:
        fragment = _mask_parameters(fragment, redirect)
    return f"{base}{hash_mark}{fragment}"


def _mask_userinfo(url: str) -> str:
    scheme, separator, rest = url.partition("://")
    if not separator:
        return url
    end = len(rest)
    for delimiter in "/?#":
        found = rest.find(delimiter)
        if found != -1 and found < end:
            end = found
    userinfo, at, host = rest[:end].rpartition("@")
    if not at or not userinfo:
        return url
    user, colon, password = userinfo.partition(":")
    shown = f"{user}:{MASK}" if colon and password else f"{user}:" if colon else MASK
    return f"{scheme}://{shown}@{host}{rest[end:]}"


def _mask_parameters(query: str, redirect: bool = False) -> str:
    pieces = []
    for piece in query.split("&"):
        name, equals, value = piece.partition("=")
        secret = is_secret_param(name) or (redirect and name.lower() in _REDIRECT_PARAMS)
        pieces.append(f"{name}={MASK}" if equals and value and secret else piece)
    return "&".join(pieces)


_JSON_STRING_MEMBER = re.compile(r'"((?:[^"\\\n]|\\.)*)"(\s*:\s*)"(?:[^"\\\n]|\\.)*"')
"""`"name": "value"` in JSON text (escapes kept whole), for masking a string member by its name."""


def mask_body(body: bytes, content_type: str) -> bytes:
    """A request body with the credentials it carries masked, for exports (HAR, curl): the
    credential-like fields of a form (`password=****`, as in a query string) and the credential-like
    string members of a JSON body at any depth (`"client_secret": "****"`), and in any body the values
    of secret variables (`KNOWN_SECRETS`); the rest as it was, byte for byte."""
    lowered = content_type.lower()
    text = body.decode("utf-8", "surrogateescape")  # any bytes, and back to the same bytes
    masked = KNOWN_SECRETS.mask(text)
    if "x-www-form-urlencoded" in lowered:
        masked = _mask_parameters(masked)
    elif "json" in lowered:
        masked = _JSON_STRING_MEMBER.sub(_masked_member, masked)
    return body if masked == text else masked.encode("utf-8", "surrogateescape")


def _masked_member(match: re.Match[str]) -> str:
    name = match.group(1)
    return f'"{name}"{match.group(2)}"{MASK}"' if is_secret_param(name) else match.group()


_TOKEN_SHAPE = re.compile(
    r"(sk|rk|pk)[-_](live|test|proj|ant)?[-_]?[A-Za-z0-9]|ghp_|gho_|ghs_|ghu_|github_pat_|glpat-|xox[abposr]-"
    r"|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_\-]{20}|eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\."
)
"""Well-known API key and token shapes (OpenAI/Anthropic/Stripe `sk-…`, GitHub, GitLab, Slack, AWS, Google, JWTs)."""


def masked_payload(payload: EventPayload) -> EventPayload:
    """The payload with the credentials it carries masked (a request's URL and headers, a WebSocket URL):
    what `--jsonl` writes and what the TUI shows until the user reveals it."""
    from app.events import RequestSent, WsConnecting

    if type(payload) is RequestSent:
        return RequestSent(payload.method, mask_url(payload.url), mask_headers(payload.headers), payload.body_size)
    if type(payload) is WsConnecting:
        return WsConnecting(mask_url(payload.url))
    return payload


def looks_like_secret(name: str, value: str) -> bool:
    """Whether a variable `name = value` written in a TOML file holds a credential that belongs in `.env`:
    a credential-like name (the header and parameter rules above: `token`, `api_key`, `password`, …) or a
    value shaped like a well-known key (`sk-…`, `ghp_…`, a JWT), or a URL with a password in it. Never a
    `{{reference}}`, an empty value, a number or a boolean (`max_tokens = 256` is no secret)."""
    value = value.strip()
    if not value or "{{" in value or PLAIN_VALUE.fullmatch(value):
        return False
    if is_secret_param(name) or is_secret_header(name) or _TOKEN_SHAPE.match(value):
        return True
    return "://" in value and _userinfo_literal(value) and _mask_userinfo(value) != value


@dataclass(frozen=True, slots=True)
class LiteralCredential:
    """A credential a request holds written out rather than as a `{{variable}}`."""

    where: str
    """`header Authorization`, `auth token`, `query parameter api_key`, `URL userinfo`, `cookie session`."""
    variable: str
    """The name suggested for it in `.env` (`token`, `api_key`, `x_api_key`)."""
    value: str
    """The secret itself: a header's value without its scheme (`Bearer ` stays in the file)."""


def _credential_header(name: str, value: str) -> bool:
    """A header holding a credential by its name, or by its value whatever the name (`Bearer …`, `sk-…`)."""
    lowered = name.lower()
    if lowered in _CHALLENGE_HEADERS or lowered in _URL_HEADERS:
        return False
    return is_secret_header(name) or bool(_AUTH_SCHEME.match(value) or _TOKEN_IN_TEXT.search(value))


def _keeps_scheme(name: str, value: str) -> bool:
    return name.lower() in _AUTH_HEADERS or bool(_AUTH_SCHEME.match(value))


def _literal(value: str) -> bool:
    return bool(value) and "{{" not in value


def find_literal_credentials(definition: RequestDefinition) -> list[LiteralCredential]:
    """Every credential `definition` holds literally: what to warn about, or move into `.env`, before it
    goes into a TOML file (and then into git). `with_credentials_as_variables` replaces them."""
    found: list[LiteralCredential] = []
    for name, value in definition.headers:
        if _literal(value) and _credential_header(name, value):
            scheme, space, credential = value.partition(" ")
            if _keeps_scheme(name, value) and space and credential.strip():
                found.append(LiteralCredential(f"header {name}", "token" if scheme.lower() == "bearer" else
                                               f"{scheme.lower()}_credentials", credential.strip()))
            else:
                found.append(LiteralCredential(f"header {name}", name, value))
    for name, value in definition.params:
        if _literal(value) and is_secret_param(name):
            found.append(LiteralCredential(f"query parameter {name}", name, value))
    auth = definition.auth
    for where, value, variable in (("auth token", auth.token, "token"), ("auth password", auth.password, "password"),
                                   ("auth key", auth.key_value, auth.key_name or "api_key")):
        if _literal(value):
            found.append(LiteralCredential(where, variable, value))
    # A WebSocket's handshake cookies are sent as a `Cookie` header and masked as one: every value is a credential.
    for name, value in definition.websocket.cookies:
        if _literal(value):
            found.append(LiteralCredential(f"cookie {name}", f"{name}_cookie", value))
    if _userinfo_literal(definition.url) and mask_url(definition.url) != definition.url:
        password = _url_password(definition.url)
        if password:
            found.append(LiteralCredential("URL userinfo", "url_password", password))
    query = definition.url.partition("?")[2].partition("#")[0]
    for piece in query.split("&"):
        name, equals, value = piece.partition("=")
        if equals and _literal(value) and is_secret_param(name):
            found.append(LiteralCredential(f"query parameter {name}", name, value))
    return found


def literal_credentials(definition: RequestDefinition) -> list[str]:
    """Where a request holds a credential written out (`header Authorization`, `auth token`, …)."""
    return list(dict.fromkeys(credential.where for credential in find_literal_credentials(definition)))


def with_credentials_as_variables(definition: RequestDefinition, names: Mapping[str, str]) -> RequestDefinition:
    """`definition` with each literal credential whose `where` is in `names` replaced by `{{names[where]}}`
    (the values now live in `.env`); a header keeps its scheme (`Bearer {{token}}`)."""
    from dataclasses import replace

    def reference(where: str) -> str:
        return "{{" + names[where] + "}}"

    headers = []
    for name, value in definition.headers:
        where = f"header {name}"
        if where in names and _literal(value):
            scheme, space, credential = value.partition(" ")
            keep_scheme = _keeps_scheme(name, value) and space and credential.strip()
            value = f"{scheme} {reference(where)}" if keep_scheme else reference(where)
        headers.append((name, value))
    params = [(name, reference(f"query parameter {name}") if f"query parameter {name}" in names and _literal(value)
               else value) for name, value in definition.params]
    auth = definition.auth
    auth = replace(
        auth,
        token=reference("auth token") if "auth token" in names and _literal(auth.token) else auth.token,
        password=reference("auth password") if "auth password" in names and _literal(auth.password) else auth.password,
        key_value=reference("auth key") if "auth key" in names and _literal(auth.key_value) else auth.key_value,
    )
    cookies = tuple((name, reference(f"cookie {name}") if f"cookie {name}" in names and _literal(value) else value)
                    for name, value in definition.websocket.cookies)
    url = definition.url
    if "URL userinfo" in names:
        url = _replace_url_password(url, reference("URL userinfo"))
    url = _replace_query_values(url, {where.removeprefix("query parameter "): reference(where)
                                      for where in names if where.startswith("query parameter ")})
    return replace(definition, headers=tuple(headers), params=tuple(params), auth=auth, url=url,
                   websocket=replace(definition.websocket, cookies=cookies))


def _authority_bounds(url: str) -> tuple[int, int] | None:
    """Where the authority (`user:pass@host`) of `url` starts and ends, or None without `://`."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        return None
    end = len(rest)
    for delimiter in "/?#":
        found = rest.find(delimiter)
        if found != -1 and found < end:
            end = found
    start = len(scheme) + len(separator)
    return start, start + end


def _url_password(url: str) -> str:
    bounds = _authority_bounds(url)
    if bounds is None:
        return ""
    userinfo = url[bounds[0]:bounds[1]].rpartition("@")[0]
    user, colon, password = userinfo.partition(":")
    return password if colon else user


def _replace_url_password(url: str, reference: str) -> str:
    bounds = _authority_bounds(url)
    if bounds is None:
        return url
    userinfo, at, host = url[bounds[0]:bounds[1]].rpartition("@")
    if not at:
        return url
    user, colon, _ = userinfo.partition(":")
    shown = f"{user}:{reference}" if colon else reference
    return f"{url[:bounds[0]]}{shown}@{host}{url[bounds[1]:]}"


def _replace_query_values(url: str, references: Mapping[str, str]) -> str:
    if not references:
        return url
    base, question, rest = url.partition("?")
    if not question:
        return url
    query, hash_mark, fragment = rest.partition("#")
    pieces = []
    for piece in query.split("&"):
        name, equals, value = piece.partition("=")
        pieces.append(f"{name}={references[name]}" if equals and name in references and _literal(value) else piece)
    return f"{base}?{'&'.join(pieces)}{hash_mark}{fragment}"
def _userinfo_literal(url: str) -> bool:
    authority = url.partition("://")[2].split("/", 1)[0].split("?", 1)[0]
    userinfo = authority.rpartition("@")[0]
    return bool(userinfo) and "{{" not in userinfo
