"""One binding's keys as the user has them: the `BINDINGS` of a class, a `[keymap]` applied, displayed as
the footer shows them. Needs no screen, so any screen can name its own keys (`app/ui/keys.py` gathers
every screen's for the help and the palette)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode


def class_bindings(owner: type[DOMNode]) -> list[Binding]:
    """The `BINDINGS` declared by `owner` and its Sluice base classes (Textual's own are not listed)."""
    found: list[Binding] = []
    for cls in reversed(owner.__mro__):
        if cls.__module__.startswith("app.") and "BINDINGS" in cls.__dict__:
            found.extend(as_binding(item) for item in cls.__dict__["BINDINGS"])
    return found


def as_binding(item: BindingType) -> Binding:
    if isinstance(item, Binding):
        return item
    key, action, *rest = item
    return Binding(key, action, rest[0] if rest else "")


def keys_of(binding: Binding, keymap: Mapping[str, str]) -> str:
    """The keys `binding` answers to once the keymap is applied (comma-separated)."""
    return keymap.get(binding.id, binding.key) if binding.id else binding.key


def key_display(app: App[Any], binding: Binding, keymap: Mapping[str, str]) -> str:
    """How the footer would show the binding's keys (`^j / ^enter`), keymap applied."""
    keys = [key.strip() for key in keys_of(binding, keymap).split(",") if key.strip()]
    return " / ".join(app.get_key_display(replace(binding, key=key, key_display=None)) for key in keys)
