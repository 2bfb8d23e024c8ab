"""Merge profiles by name, as `--profile NAME` and the request editor offer them."""

from __future__ import annotations

from app.streams.merge.builder import ReplyBuilder
from app.streams.merge.profile import MergeProfile
from app.streams.merge.profiles.anthropic import AnthropicProfile
from app.streams.merge.profiles.cohere import CohereProfile
from app.streams.merge.profiles.custom import CustomProfile
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
"""Every name `MergeEngine(profile=...)` accepts."""


class UnknownProfileError(ValueError):
    """A profile name that is not in the registry; the message lists the valid ones."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown merge profile {name!r}; choose one of: {', '.join(PROFILE_NAMES)}")
        self.name = name


def check_profile_name(name: str) -> None:
    if name not in PROFILE_NAMES:
        raise UnknownProfileError(name)


def make_profile(name: str, reply: ReplyBuilder, rule: MergeRule | None = None) -> MergeProfile:
    """A profile instance writing into `reply`. `custom` needs a rule."""
    if name == "custom":
        if rule is None:
            raise ValueError("the custom merge profile needs a rule (a text JSONPath at least)")
        return CustomProfile(reply, rule)
    check_profile_name(name)
    return BUILT_IN_PROFILES[name](reply)
