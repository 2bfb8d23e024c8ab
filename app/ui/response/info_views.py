"""The Headers and Metrics tabs: small, redrawn a few times a second at most."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import var
from textual.widgets import Sparkline, Static

from app.figures import format_rate, format_seconds, format_size
from app.model.secrets import mask_headers, mask_url
from app.streams.stream_metrics import GapSeries
from app.terminal_text import safe_line
from app.ui.response.session import ResponseSession


class HeadersView(VerticalScroll, can_focus=True):
    """Request and response headers as two tables.

    Credentials (`Authorization`, cookies, API-key headers, URL userinfo and token parameters) are masked
    until `v` reveals them; every name and value is server or file text, shown through `safe_line`."""

    DEFAULT_CSS = "HeadersView { background: $surface; padding: 0 1; }"

    BINDINGS = [Binding("v", "toggle_reveal", "Reveal secrets", id="headers.reveal")]

    reveal: var[bool] = var(False)
    """Show credential values in clear (off by default: screens get shared and recorded)."""

    _session: ResponseSession | None = None
    _shown: tuple[object, ...] | None = None
    """What the tables were drawn from: redrawn only when it changes, not on every event of a flood."""

    def compose(self) -> ComposeResult:
        yield Static(id="headers-content")

    def action_toggle_reveal(self) -> None:
        self.reveal = not self.reveal

    def watch_reveal(self) -> None:
        self.show_session(self._session)

    def show_session(self, session: ResponseSession | None) -> None:
        self._session = session
        drawn_from = (
            (None,) if session is None else (session, session.request, session.response, session.ws_opened, self.reveal)
        )
        if drawn_from == self._shown:
            return
        self._shown = drawn_from
        content = self.query_one("#headers-content", Static)
        if session is None or (session.request is None and session.response is None and session.ws_opened is None):
            content.update(Text("No headers yet.", style="dim"))
            return
        reveal = self.reveal
        shown = (lambda headers: headers) if reveal else mask_headers
        tables: list[Table | Text] = []
        if session.ws_opened is not None:
            opened = session.ws_opened
            protocol = f" · subprotocol {opened.subprotocol}" if opened.subprotocol else ""
            tables.append(_table(f"Handshake · {opened.status}{protocol}", shown(opened.headers)))
        if session.response is not None:
            # For a WebSocket this is the response that refused the upgrade (its body is in Body/Raw).
            response = session.response
            tables.append(
                _table(f"Response · {response.http_version} {response.status} {response.reason}", shown(response.headers))
            )
        if session.request is not None:
            request = session.request
            url = request.url if reveal else mask_url(request.url)
            tables.append(_table(f"Request · {request.method} {url}", shown(request.headers)))
        if tables:
            hint = "v: hide secrets" if reveal else "credentials masked · v: reveal"
            tables.append(Text(hint, style="dim"))
        content.update(_stack(tables))


SHOWN_HEADERS = 300
"""Rows drawn per table: a server may send ~10,000 headers (h11 takes 100 KiB of them), and one Rich table
of them all took 5-10 s to draw, keys unanswered. The rest are counted; `--jsonl` and HAR have them all."""


def _table(title: str, headers: tuple[tuple[str, str], ...]) -> Table:
    # Text objects, not str: Rich would read `[...]` in a header value as markup.
    table = Table(title=Text(safe_line(title)), title_justify="left", show_edge=False, expand=True)
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    for name, value in headers[:SHOWN_HEADERS]:
        table.add_row(Text(safe_line(name)), Text(safe_line(value)))
    if len(headers) > SHOWN_HEADERS:
        table.add_row(Text(f"… {len(headers) - SHOWN_HEADERS:,} more", style="dim"), Text(""))
    return table


def _stack(tables: list[Table | Text]) -> Table:
    grid = Table.grid(expand=True)
    grid.add_column()
    for table in tables:
        grid.add_row(table)
        grid.add_row("")
    return grid


class MetricsView(VerticalScroll, can_focus=True):
    """Time to first byte and first event, gaps, stalls, and a sparkline of the event rate."""

    DEFAULT_CSS = """
    MetricsView {
        background: $surface;
        padding: 0 1;
        & > Sparkline { height: 4; margin: 1 0; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="metrics-figures")
        yield Static("events per second (100 ms buckets, latest 12 s)", classes="metrics-caption")
        yield Sparkline([], id="metrics-rate")

    _rows = 0
    """Rows of the figures table last drawn (a layout pass only when that changes)."""

    def show_session(self, session: ResponseSession | None) -> None:
        figures = self.query_one("#metrics-figures", Static)
        sparkline = self.query_one("#metrics-rate", Sparkline)
        if session is None:
            figures.update(Text("No response yet.", style="dim"))
            sparkline.data = []
            return
        metrics = session.metrics
        events, fragments = metrics.events, metrics.fragments
        threshold = format_seconds(metrics.stall_threshold)

        def seconds(value: float | None) -> str:
            return "–" if value is None else format_seconds(value)

        def stalls(series: GapSeries) -> str:
            if not series.stalls:
                return "0"
            return f"{series.stalls:,} · {format_seconds(series.stall_seconds)} in all"

        rows: list[tuple[str, str | Text]] = []
        rows.append(("time to first byte", seconds(metrics.ttfb)))
        rows.append(("time to first event", seconds(metrics.ttfe)))
        rows.append(("data events", f"{len(events):,}"))
        rows.append(("event gap p50 / p95 / max", _gaps(events, seconds)))
        rows.append((f"stalls (gaps > {threshold})", stalls(events)))
        silence = session.silence
        if silence:
            style = "bold yellow" if events.is_stall(silence) else ""
            rows.append(("silent for", Text(format_seconds(silence), style=style)))
        rows.append(("time to first token", seconds(metrics.ttft)))
        rows.append(("fragments", f"{len(fragments):,}"))
        rows.append(("fragment gap p50 / p95 / max", _gaps(fragments, seconds)))
        rows.append((f"fragment stalls (> {threshold})", stalls(fragments)))
        tokens_per_second = metrics.to_json()["tokens_per_second"] if metrics.output_tokens else None
        if tokens_per_second is not None:
            rows.append(("tokens / s", f"{tokens_per_second:,.1f}"))
        rows.append(("events / s", format_rate(session.events_per_second)))
        rows.append(("bytes", format_size(session.bytes_received)))
        rows.append(("elapsed", format_seconds(session.elapsed)))
        # Redrawn twice a second while live: the same rows need no layout of the whole screen.
        figures.update(_figures_text(rows), layout=len(rows) != self._rows)
        self._rows = len(rows)
        sparkline.data = metrics.rate_per_second()


def _figures_text(rows: list[tuple[str, str | Text]]) -> Text:
    """The figures as two aligned columns, names in bold: what a Rich `Table.grid` drew, as one `Text`.

    The table was rendered through Rich's console on every redraw (twice a second while live, and on
    every `5`): the most costly part of showing the tab during a flood (benchmarks/bench_flood.py)."""
    name_width = max((len(name) for name, _ in rows), default=0)
    text = Text()
    for number, (name, value) in enumerate(rows):
        if number:
            text.append("\n")
        text.append(f"{name:<{name_width}}  ", style="bold")
        text.append(value)
    return text


def _gaps(series: GapSeries, seconds: Callable[[float | None], str]) -> str:
    return f"{seconds(series.percentile(0.5))} / {seconds(series.percentile(0.95))} / {seconds(series.max_gap)}"
