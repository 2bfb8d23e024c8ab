"""Third-party merge profiles: installed packages that declare an entry point in `sluice.merge_profiles`.

    # the plugin's pyproject.toml
    [project.entry-points."sluice.merge_profiles"]
    acme = "acme_sluice:AcmeProfile"

The entry point's name is the profile name (`--profile acme`, `merge_profile = "acme"`); its object is a
`MergeProfile` subclass (the contract is in `app/streams/merge/profile.py` and the README, "Profile
plugins"). Discovery reads the installed distributions' `entry_points.txt` files directly: 3 ms here,
where importing `importlib.metadata` and asking it costs about 150 ms, which every `sluice run` would
pay. A plugin's module is imported only when its profile is asked for by name, or when the built-in
detection did not recognise a stream and plugins are asked to `detect` it. A plugin that fails to
import, or is not a `MergeProfile`, is reported and skipped, never fatal.
"""

from __future__ import annotations

import importlib
import os
import sys
from functools import cache
from typing import Any

from app.streams.merge.profile import MergeProfile

GROUP = "sluice.merge_profiles"


@cache
def discover() -> dict[str, str]:
    """Every plugin profile name and its `module:attribute`, in `sys.path` order (the first name wins)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            listing = os.scandir(entry or ".")
        except OSError:
            continue
        with listing:
            names = sorted(item.path for item in listing if item.name.endswith((".dist-info", ".egg-info")))
        for directory in names:
            try:
                with open(os.path.join(directory, "entry_points.txt"), encoding="utf-8") as handle:
                    text = handle.read()
            except OSError:
                continue
            if f"[{GROUP}]" in text:
                for name, target in _section(text):
                    found.setdefault(name, target)
    return found


def _section(text: str) -> list[tuple[str, str]]:
    """The `name = module:attr` lines of the group's section of an `entry_points.txt`."""
    pairs, inside = [], False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            inside = line == f"[{GROUP}]"
        elif inside and "=" in line and not line.startswith(("#", ";")):
            name, _, target = line.partition("=")
            pairs.append((name.strip(), target.strip()))
    return pairs


_loaded: dict[str, type[MergeProfile] | None] = {}
_problems: dict[str, str] = {}


def load(name: str) -> type[MergeProfile] | None:
    """The plugin's profile class (imported on first use), or None when it is broken (see `problem`)."""
    if name in _loaded:
        return _loaded[name]
    target = discover().get(name)
    profile: type[MergeProfile] | None = None
    if target is not None:
        module_name, _, attribute = target.partition(":")
        try:
            value: Any = importlib.import_module(module_name.strip())
            for part in attribute.strip().split(".") if attribute.strip() else ():
                value = getattr(value, part)
        except Exception as error:  # a broken plugin must never stop a merge: it is reported instead
            _problems[name] = f"cannot load {target}: {type(error).__name__}: {error}"
        else:
            if isinstance(value, type) and issubclass(value, MergeProfile):
                profile = value
            else:
                _problems[name] = f"{target} is not a MergeProfile subclass"
    _loaded[name] = profile
    return profile


def problem(name: str) -> str | None:
    """Why the plugin `name` was skipped, once it was tried."""
    return _problems.get(name)


def detect(content_type: str | None, event: str, value: Any) -> tuple[str | None, list[str]]:
    """The first plugin whose `detect(content_type, event, value)` says yes, and the problems met."""
    problems = []
    for name in discover():
        profile = load(name)
        if profile is None:
            problems.append(f"merge profile plugin {name!r} skipped: {problem(name)}")
            continue
        detector = getattr(profile, "detect", None)
        if detector is None:
            continue
        try:
            if detector(content_type, event, value):
                return name, problems
        except Exception as error:  # the same: a plugin's bug is reported, detection goes on
            problems.append(f"merge profile plugin {name!r}: detect raised {type(error).__name__}: {error}")
    return None, problems
