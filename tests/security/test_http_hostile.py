"""The HTTP worker against hostile servers: compression bombs, bad redirects, bad timeouts, userinfo."""

from __future__ import annotations

import gzip
import zlib

import pytest

from app.bus import EventBus
from app.connections.content_encoding import PIECE_BYTES, BodyDecoder, DecodingFailed
from app.connections.http_worker import stream_http
from app.events import ConnectionFailed, ErrorType, RequestSent, SseMessage, StreamClosed, StreamDiagnostic
from app.model.http_request import HttpRequest


async def _events(request: HttpRequest) -> list:
    bus = EventBus()
    subscription = bus.subscribe()
    await stream_http(request, bus)
    return [event.payload for event in subscription.drain()]


async def test_unasked_gzip_is_decoded(hostile) -> None:
    payloads = await _events(HttpRequest(f"{hostile.base_url}/gzip-sse"))
    assert [p.data for p in payloads if isinstance(p, SseMessage)] == ["hello", "world"]


async def test_gzip_bomb_is_reported_and_read_in_bounded_pieces(hostile) -> None:
    payloads = await _events(HttpRequest(f"{hostile.base_url}/gzip-bomb"))
    bombs = [p for p in payloads if isinstance(p, StreamDiagnostic) and "inflates more than 1000:1" in p.message]
    assert len(bombs) == 1
    closed = payloads[-1]
    assert isinstance(closed, StreamClosed) and closed.reason == "complete"
    assert closed.bytes == 64 << 20


async def test_a_body_encoded_1500_times_over_is_shown_raw_not_a_crash(hostile) -> None:
    """Each layer was one more nested generator: `RecursionError` raised out of the run."""
    payloads = await _events(HttpRequest(f"{hostile.base_url}/layers"))
    notes = [p.message for p in payloads if isinstance(p, StreamDiagnostic)]
    assert any("encoded 1,500 times over" in note for note in notes), notes
    assert isinstance(payloads[-1], StreamClosed) and payloads[-1].reason == "complete"
    layered = await _events(HttpRequest(f"{hostile.base_url}/three-layers"))
    assert [p.data for p in layered if isinstance(p, SseMessage)] == ["layered"]


def test_inflation_never_yields_more_than_a_piece() -> None:
    bomb = gzip.compress(b"\0" * (8 << 20), compresslevel=9)
    decoder = BodyDecoder("gzip")
    pieces = [piece for piece in decoder.feed(bomb)] + list(decoder.finish())
    assert max(len(piece) for piece in pieces) <= PIECE_BYTES
    assert sum(map(len, pieces)) == 8 << 20
    assert decoder.bomb_report() is not None and decoder.bomb_report() is None  # reported once


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS])
def test_deflate_with_or_without_the_zlib_wrapper(wbits: int) -> None:
    compressor = zlib.compressobj(wbits=wbits)
    data = compressor.compress(b"data: x\n\n" * 1000) + compressor.flush()
    decoder = BodyDecoder("deflate")
    assert b"".join([*decoder.feed(data[:7]), *decoder.feed(data[7:]), *decoder.finish()]) == b"data: x\n\n" * 1000


def test_two_gzip_members_and_corrupt_data() -> None:
    decoder = BodyDecoder("gzip")
    assert b"".join(decoder.feed(gzip.compress(b"a") + gzip.compress(b"b"))) == b"ab"
    with pytest.raises(DecodingFailed):
        list(BodyDecoder("gzip").feed(b"\x1f\x8b\x08\x00garbage-garbage"))
    assert BodyDecoder("br").unsupported == "br-encoded"


@pytest.mark.parametrize("path", ["/redirect-js", "/redirect-bad"])
async def test_invalid_redirect_targets_are_named_errors(hostile, path: str) -> None:
    payloads = await _events(HttpRequest(f"{hostile.base_url}{path}"))
    failure = payloads[-1]
    assert isinstance(failure, ConnectionFailed) and failure.type is ErrorType.INVALID_REDIRECT


async def test_non_finite_timeouts_are_named_errors(hostile) -> None:
    for request in (
        HttpRequest(f"{hostile.base_url}/json", connect_timeout=float("nan")),
        HttpRequest(f"{hostile.base_url}/json", read_timeout=float("inf")),
    ):
        (failure,) = await _events(request)
        assert isinstance(failure, ConnectionFailed) and failure.type is ErrorType.INVALID_OPTION


async def test_request_event_shows_the_authorization_made_from_userinfo(hostile) -> None:
    url = f"http://bob:hunter2@127.0.0.1:{hostile.port}/json"
    payloads = await _events(HttpRequest(url, headers=(("X-Trace", "1"),)))
    sent = payloads[0]
    assert isinstance(sent, RequestSent)
    assert "hunter2" not in sent.url and "bob" not in sent.url
    assert dict(sent.headers)["authorization"] == "Basic Ym9iOmh1bnRlcjI="


def test_headless_exit_codes(hostile, sluice, tmp_path) -> None:
    assert sluice("run", f"{hostile.base_url}/redirect-js").code == 1
    saved = tmp_path / "nan.toml"
    saved.write_text(f'url = "{hostile.base_url}/json"\n[options]\nconnect_timeout = nan\n', encoding="utf-8")
    result = sluice("run", str(saved))
    assert result.code == 1 and "connect_timeout" in result.stderr
    masked = sluice("run", "--jsonl", f"http://bob:hunter2@127.0.0.1:{hostile.port}/json")
    assert "hunter2" not in masked.stdout and '"Basic ****"' in masked.stdout
