"""The merge engine: streamed fragments (OpenAI, Anthropic, Gemini, Ollama, … and the seed APIs) merged
into the reply they spell out, with reasoning, tool calls, usage, completeness, and stream metrics."""

from app.streams.merge.detect import detect_profile
from app.streams.merge.engine import MergeEngine
from app.streams.merge.profile import MergeProfile
from app.streams.merge.registry import PROFILE_NAMES, UnknownProfileError, make_profile
from app.streams.merge.reply import MergedChoice, MergedReply, ReplyDelta, ToolCall
from app.streams.stream_metrics import StreamMetrics

__all__ = [
    "PROFILE_NAMES",
        "MergeEngine",
    "MergeProfile",
    "MergedChoice",
    "MergedReply",
    "ReplyDelta",
    "StreamMetrics",
    "ToolCall",
    "UnknownProfileError",
    "detect_profile",
    "make_profile",
]
