"""Keys handled one at a time, in the order they were typed (a workaround for Textual 8.2).

Why: Textual forwards each key from the terminal to the focused widget's message queue at once. A widget
handles some keys itself (an `Input` inserts printable characters in its `_on_key`), but a key bound to
an action (Backspace, Delete, the cursor keys, Ctrl+T, Ctrl+G...) is only resolved once the key event has
bubbled, one message queue at a time, from the focused widget through every ancestor up to the App
(`App._on_key` -> `_check_bindings`). A printable key typed after a Backspace overtakes it on the way: in a
bare `Input`, `ABCDEFGHIJKL`, 9 Backspaces and `xyzuvw` in quick writes give `ABCDEFGHI` instead of
`ABCxyzuvw` (the Backspaces delete `xyzuvw` and three letters). The same race lets a key typed right after
a focus-moving binding land in the widget that had the focus (`Ctrl+G 2` typed `2` into the composer;
`Ctrl+T j Enter` typed `j` into the URL and sent the request).

The workaround, done only with public API: the App lets one key from the terminal in at a time. After
handing a key on, it posts a `KeyDone` marker to the same widget; the marker bubbles up the same chain of
queues behind the key (each queue is first-in first-out), so when it reaches the App the key has been
fully dealt with, bindings included. An action often answers with a message of its own (the tree's `/`
posts `FilterRequested`, whose handler focuses the filter box), so the marker makes a second round trip
from the same widget, behind whatever the first round left in those queues. The App then lets the next
key in after its own pending callbacks (`focus()` is a callback queued on the App) and after the next
repaint (`call_after_refresh`, which some widgets use to focus), so that key goes to the widget focused
by then. A marker is lost when the key removed the widget holding it (Enter on a dialog's button): while
keys are held, a watchdog checks every `WATCH_SECONDS` whether the key's widget left the active screen,
and lets the keys through then (or after `GIVE_UP_SECONDS` in any case, so a bug here can delay keys but
never swallow them).

Waiting costs a repaint per key, which under a flood is most of a key's latency (about 150 ms a key in a
burst on a loaded machine). It is needed only after a key that may run a binding or move the focus, so a
printable key typed into a text field (an `Input`, an editable `TextArea`), with no priority binding on
it, is let in at once: the field inserts it in its own `_on_key`, nothing else sees it, and the keys after
it go to the same queue behind it, in order. Such keys are still followed by a marker (one round): a key
that needs the wait, or has a priority binding (run by the App before any widget sees it: `Ctrl+J` must
send the URL with every letter typed before it), is let in only once the text keys before it were
inserted.

Remove this module when Textual dispatches bindings in order (see the upstream report in the README).
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any, Generic, TypeVar

from textual import events
from textual.app import App
from textual.dom import NoScreen
from textual.message import Message
from textual.message_pump import MessagePump
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, TextArea

WATCH_SECONDS = 0.05
"""How often held keys check for a lost marker."""
GIVE_UP_SECONDS = 3.0
"""Longest a key may stay in flight before the next is let in anyway (a loaded machine can take 1 s+)."""
MARKER_ROUNDS = 2
"""Round trips of the marker per key: the key itself, then the messages its handlers posted."""
HOLD_GIVE_UP_SECONDS = 15.0
"""Longest `hold_keys()` keeps keys back (a bug or a hung disk may delay keys, never swallow them)."""


class KeyDone(Message):
    """Marker that follows a key up the DOM: when it reaches the App, that key has been handled."""

    def __init__(self, serial: int, target: MessagePump, rounds_left: int) -> None:
        super().__init__()
        self.serial = serial
        self.target = target
        """Where the key was forwarded (each round starts there)."""
        self.rounds_left = rounds_left


ReturnType = TypeVar("ReturnType")


class OrderedKeysApp(App[ReturnType], Generic[ReturnType]):
    """An App that handles keys from the terminal strictly one after the other."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_keys: deque[events.Key] = deque()
        self._key_in_flight: int | None = None
        """Serial of the key that needs the wait (None: no such key is being handled)."""
        self._text_in_flight: dict[int, tuple[MessagePump, float]] = {}
        """Text keys let in without the wait whose markers are not back: their widget and when."""
        self._key_serial = 0
        self._in_flight_since = 0.0
        self._in_flight_target: MessagePump | None = None
        self._watchdog: Timer | None = None
        self._keys_held_since: float | None = None
        """When `hold_keys()` was called (None: keys go in as they come)."""

    def hold_keys(self) -> None:
        """Queue keys from the terminal, in order, until `release_keys()`: what they would act on (the
        collection at start-up) is not there yet."""
        self._keys_held_since = time.monotonic()

    async def release_keys(self) -> None:
        """Let the keys held since `hold_keys()` in, in the order they were typed."""
        self._keys_held_since = None
        await self._let_keys_in()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._held_keys.append(event)
            await self._let_keys_in()
            if self._held_keys:
                self._watch()
            return
        await super().on_event(event)

    def _types_into_focus(self, event: events.Key) -> bool:
        """True for a key the focused text field inserts itself, with no priority binding in the way."""
        if not event.is_printable:
            return False
        focused = self.focused
        if isinstance(focused, TextArea):
            if focused.read_only:
                return False
        elif not isinstance(focused, Input):
            return False
        active = self.screen.active_bindings.get(event.key)
        return active is None or not active.binding.priority

    async def _let_keys_in(self) -> None:
        """Let in what may go now: text keys one after the other, any other key once all before it are done."""
        held = self._held_keys
        while held and self._key_in_flight is None and self._keys_held_since is None:
            event = held[0]
            text = self._types_into_focus(event)
            if not text and self._text_in_flight:
                return  # after the text keys before it: their markers will let it in
            held.popleft()
            await self._let_in(event, text=text)

    async def _let_in(self, event: events.Key, *, text: bool) -> None:
        self._key_serial += 1
        serial = self._key_serial
        # Where the key is forwarded to (App.on_event: the focused widget, else the screen).
        target = self.focused or self.screen
        if text:
            self._text_in_flight[serial] = (target, time.monotonic())
        else:
            self._key_in_flight = serial
            self._in_flight_since = time.monotonic()
            self._in_flight_target = target
        await super().on_event(event)
        self._send_marker(KeyDone(serial, target, 0 if text else MARKER_ROUNDS - 1))

    def _send_marker(self, marker: KeyDone) -> None:
        if not marker.target.post_message(marker):
            self.call_later(self._done, marker.serial)

    async def on_key_done(self, message: KeyDone) -> None:
        message.stop()
        if message.rounds_left > 0 and message.serial == self._key_in_flight:
            self._send_marker(KeyDone(message.serial, message.target, message.rounds_left - 1))
            return
        await self._done(message.serial)

    async def _done(self, serial: int) -> None:
        if self._text_in_flight.pop(serial, None) is not None:
            if not self._text_in_flight:
                await self._let_keys_in()
            return
        if serial != self._key_in_flight:
            return  # a marker that arrived after the watchdog gave up on it
        # After the App's queued callbacks (`focus()` is one) and the next repaint (some widgets focus
        # their content with `call_after_refresh`, as the response pane's tab keys do), not now.
        self.call_after_refresh(self._release, serial)

    async def _release(self, serial: int) -> None:
        if serial != self._key_in_flight:
            return
        if not self.screen.is_mounted and time.monotonic() - self._in_flight_since < GIVE_UP_SECONDS:
            # The key opened a screen (`r` -> the rename box) that is still composing: it gets its focus
            # once composed, and a key let in before that would go to the bare screen and be lost.
            self.call_after_refresh(self._release, serial)
            return
        self._key_in_flight = None
        self._in_flight_target = None
        await self._let_keys_in()
        if not self._held_keys and self._watchdog is not None and self._key_in_flight is None:
            self._watchdog.stop()
            self._watchdog = None

    def _watch(self) -> None:
        if self._watchdog is None:
            self._watchdog = self.set_interval(WATCH_SECONDS, self._check_lost)

    def _lost(self, target: MessagePump | None, since: float) -> bool:
        if time.monotonic() - since >= GIVE_UP_SECONDS:
            return True
        if not isinstance(target, Widget):
            return False
        try:
            return not target.is_attached or target.screen is not self.screen
        except NoScreen:
            return True

    async def _check_lost(self) -> None:
        if self._keys_held_since is not None and time.monotonic() - self._keys_held_since >= HOLD_GIVE_UP_SECONDS:
            await self.release_keys()
        lost_text = [key for key, (target, since) in self._text_in_flight.items() if self._lost(target, since)]
        for key in lost_text:
            await self._done(key)
        serial = self._key_in_flight
        if serial is not None and self._lost(self._in_flight_target, self._in_flight_since):
            await self._release(serial)
        elif (
            serial is None and not self._held_keys and not self._text_in_flight and self._watchdog is not None
        ):
            self._watchdog.stop()
            self._watchdog = None
