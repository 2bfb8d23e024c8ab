"""Merge profiles by name, as `--profile NAME` and the request editor offer them."""

from __future__ import annotations

from app.streams.merge.builder import ReplyBuilder
from app.streams.merge.plugins import discover as plugin_discover
from app.streams.merge.plugins import load as plugin_load
from app.streams.merge.plugins import problem as plugin_problem
from app.streams.merge.profile import MergeProfile
from app.streams.merge.profiles.anthropic import AnthropicProfile
from app.streams.merge.profiles.cohere import CohereProfile
from app.streams.merge.profiles.gemini import GeminiProfile
from app.streams.merge.profiles.llamacpp import LlamaCppProfile
from app.streams.merge.profiles.mistral import MistralProfile
from app.streams.merge.profiles.none import NoMergeProfile
from app.streams.merge.profiles.ollama import OllamaProfile
from app.streams.merge.profiles.openai import OpenAiProfile
from app.streams.merge.profiles.openai_responses import OpenAiResponsesProfile
from app.streams.merge.profiles.openrouter import OpenRouterProfile
from app.streams.merge.profiles.seed_chat import SeedChatProfile
from app.streams.merge.profiles.seed_job import SeedJobProfile
from app.streams.merge.profiles.seed_widget import SeedWidgetProfile
from app.vocabulary import MergeRule

BUILT_IN_PROFILES: dict[str, type[MergeProfile]] = {
    profile.name: profile
    for profile in (
        OpenAiProfile,
        OpenAiResponsesProfile,
        AnthropicProfile,
        GeminiProfile,
        OllamaProfile,
        MistralProfile,
        CohereProfile,
        LlamaCppProfile,
        OpenRouterProfile,
        SeedChatProfile,
        SeedJobProfile,
        SeedWidgetProfile,
        NoMergeProfile,
    )
}

PROFILE_NAMES: tuple[str, ...] = (*BUILT_IN_PROFILES, "custom")
"""Every built-in name `MergeEngine(profile=...)` accepts (plugins add theirs: `profile_names()`)."""


def profile_names() -> tuple[str, ...]:
    """Built-in profiles, then installed plugins' (`sluice.merge_profiles`; found, not imported)."""
    return (*BUILT_IN_PROFILES, *(name for name in plugin_discover() if name not in PROFILE_NAMES), "custom")


class UnknownProfileError(ValueError):
    """A profile name that is not in the registry; the message lists the valid ones (and why a plugin
    of that name was skipped, if it was)."""

    def __init__(self, name: str, why: str | None = None) -> None:
        detail = f"merge profile plugin {name!r} is broken: {why}" if why else f"unknown merge profile {name!r}"
        super().__init__(f"{detail}; choose one of: {', '.join(profile_names())}")
        self.name = name


def check_profile_name(name: str) -> None:
    if name in PROFILE_NAMES:
        return
    if name not in plugin_discover():
        raise UnknownProfileError(name)
    if plugin_load(name) is None:
        raise UnknownProfileError(name, plugin_problem(name))


def make_profile(name: str, reply: ReplyBuilder, rule: MergeRule | None = None) -> MergeProfile:
    """A profile instance writing into `reply`. `custom` needs a rule."""
    if name == "custom":
        if rule is None:
            raise ValueError("the custom merge profile needs a rule (a text JSONPath at least)")
        from app.streams.merge.profiles.custom import CustomProfile  # imports jsonpath-ng, for custom rules only

        return CustomProfile(reply, rule)
    check_profile_name(name)
    built_in = BUILT_IN_PROFILES.get(name)
    if built_in is not None:
        return built_in(reply)
    plugin = plugin_load(name)
    assert plugin is not None  # checked above
    return plugin(reply)
