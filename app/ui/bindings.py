"""One binding's keys as the user has them: the `BINDINGS` of a class, a `[keymap]` applied, displayed as
the footer shows them. Needs no screen, so any screen can name its own keys (`app/ui/keys.py` gathers
every screen's for the help and the palette)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Protocol, runtime_checkable

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


@runtime_checkable
class KeymapHolder(Protocol):
    """An app that keeps the user's `[keymap]` (Sluice's `KeymapApp`)."""

    @property
    def keymap(self) -> Mapping[str, str]: ...


def key_named(node: DOMNode, binding_id: str, owner: type[DOMNode] | None = None) -> str:
    """The first key of binding `binding_id` as the footer shows it, the user's `[keymap]` applied: what a hint,
    tooltip or status line names (a hard-coded "Esc" or "Ctrl+F" went on naming the old key once rebound).
    The binding is `owner`'s, else that of `node` or of the nearest of its ancestors that declares it."""
    app = node.app
    # The keymap the app handed to Textual: the one place it is kept (each widget would otherwise be
    # given it by every screen that builds one).
    keymap = app.keymap if isinstance(app, KeymapHolder) else {}
    for cls in [owner] if owner is not None else [type(each) for each in node.ancestors_with_self]:
        binding = next((binding for binding in class_bindings(cls) if binding.id == binding_id), None)
        if binding is not None:
            return key_display(app, binding, keymap).split(" / ")[0]
    raise LookupError(f"no binding {binding_id!r} for {node!r}")
