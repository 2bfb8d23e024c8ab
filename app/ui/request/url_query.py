"""The URL's query string as lines, for the Params tab's "in the URL" area, and back.

Two views of one text, edited in either: each `&`-separated piece of the query is a line, as typed (no
decoding, so `{{variables}}` and `%20` stay as they are); lines back into the URL are joined with `&`,
with `#` written `%23` so that a value cannot end the query. The `[params]` table is separate (the file
keeps it apart and it is sent after the URL's own query), so nothing moves between the two.
"""

from __future__ import annotations


def query_pieces(url: str) -> list[str]:
    """The non-empty `&`-separated pieces of `url`'s query (between the first `?` and the fragment)."""
    before_fragment = url.partition("#")[0]
    _, question, query = before_fragment.partition("?")
    return [piece for piece in query.split("&") if piece] if question else []


def has_query(url: str) -> bool:
    """True when `url` has a `?` before its fragment (even with nothing after it yet)."""
    return "?" in url.partition("#")[0]


def line_pieces(text: str) -> list[str]:
    """The pieces the area's lines say: each non-blank line stripped, split at `&`, `#` as `%23`."""
    return [
        piece
        for line in text.splitlines()
        for piece in line.strip().replace("#", "%23").split("&")
        if piece
    ]


def query_lines(url: str) -> str:
    """`url`'s query, a piece a line (what the area shows)."""
    return "\n".join(query_pieces(url))


def with_query(url: str, pieces: list[str]) -> str:
    """`url` with its query replaced by `pieces` (none: no `?` at all); the fragment stays."""
    before_fragment, hash_mark, fragment = url.partition("#")
    base = before_fragment.partition("?")[0]
    query = f"?{'&'.join(pieces)}" if pieces else ""
    return f"{base}{query}{hash_mark}{fragment}"
