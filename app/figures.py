"""How Sluice writes figures for a person: counts, sizes, durations and rates, alike wherever they appear
(the status line, the Timeline's rows and close row, the History, the Metrics tab, `sluice test`).

No dependencies: the first screen's widgets format with these without importing the event model.
"""

from __future__ import annotations


def format_size(size: int) -> str:
    """Bytes in the shortest readable unit (`512 B`, `4.2 kB`, `12.0 MB`)."""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1000:.1f} kB"
    if size < 1_000_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{size / 1_000_000_000:.2f} GB"


def count_of(count: int, noun: str) -> str:
    """`1 event`, `2 events`, `12,345 events` (English plurals by `s`, enough for the nouns shown)."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def format_rate(per_second: float) -> str:
    """A rate, with a decimal below 10 (a slow stream at 0.4 a second read `0`, as if nothing came)."""
    return f"{per_second:,.0f}" if per_second >= 10 else f"{per_second:.1f}"


def format_seconds(seconds: float) -> str:
    """A duration for a narrow column: `850 µs`, `12.3 ms`, `4.21 s`, `32m 04s`, `2h 05m`."""
    if seconds < 0.001:
        return f"{seconds * 1_000_000:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    if seconds < 60:
        return f"{seconds:.2f} s"
    # A socket left open: `1924.08 s` made the reader do the division.
    minutes, whole = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m {whole:02d}s"
    return f"{minutes // 60}h {minutes % 60:02d}m"
