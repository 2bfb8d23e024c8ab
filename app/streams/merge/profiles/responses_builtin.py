"""The Responses API's built-in tools (run by OpenAI, not by the client) as the merged reply shows them.

A web search, file search, code interpreter run, MCP call or image generation is an output item the model
made: it is shown as a tool call under the tool's name with its input, as Anthropic's server tools
(`server_tool_use`, `mcp_tool_use`) are. What a tool gave back stays in the Timeline's events: a failure
is a note, a generated image only its size (its base64 runs to megabytes), an MCP server's tool list a note.
"""

from __future__ import annotations

from typing import Any

from app.streams.merge.builder import ReplyBuilder
from app.streams.merge.profile import as_list, base64_size, describe_error

BUILTIN_CALLS: dict[Any, str | None] = {
    "web_search_call": "web_search",
    "file_search_call": "file_search",
    "code_interpreter_call": "code_interpreter",
    "image_generation_call": "image_generation",
    "mcp_call": None,
}
"""Built-in output items that are calls, and the name shown (None: the item's own, the MCP tool's)."""

TEXT_INPUTS: dict[Any, str] = {"code_interpreter_call": "code", "mcp_call": "arguments"}
"""Items whose input streams as text, and its field: the interpreter's code (shown as it is, not JSON) and
an MCP call's JSON arguments."""

TEXT_DELTAS = frozenset({"response.code_interpreter_call_code.delta", "response.mcp_call_arguments.delta"})
TEXT_DONE = {"response.code_interpreter_call_code.done": "code", "response.mcp_call_arguments.done": "arguments"}

_IMAGE_SETTINGS = ("revised_prompt", "action", "size", "quality", "output_format", "background")
"""An image generation's input as the item reports it: the prompt the model wrote, and the settings."""
_LISTED_NAMES = 30


def start_call(reply: ReplyBuilder, key: Any, item: dict[str, Any]) -> None:
    """`response.output_item.added` of a built-in call: the call appears, its input still to come."""
    kind = item.get("type")
    call = reply.tool_call(key, 0, item.get("id"), BUILTIN_CALLS[kind] or item.get("name"))
    call.free_text = kind == "code_interpreter_call"
    text = item.get(TEXT_INPUTS.get(kind, ""))
    if text and isinstance(text, str):
        call.add_arguments(text)


def finish_call(reply: ReplyBuilder, key: Any, item: dict[str, Any]) -> None:
    """`response.output_item.done` of a built-in call: its whole input, and how it ended."""
    kind = item.get("type")
    name = BUILTIN_CALLS[kind] or item.get("name")
    call = reply.tool_call(key, 0, item.get("id"), name)
    field = TEXT_INPUTS.get(kind)
    if field is not None:
        call.free_text = kind == "code_interpreter_call"
        if isinstance(item.get(field), str):
            call.set_arguments_text(item[field])
    else:
        call.set_arguments_value(_input(kind, item))
    reply.close_tool_call(key)
    label = f"{name or '?'} ({item.get('id') or 'no id'})"
    error = item.get("error")
    if error or item.get("status") == "failed":
        reply.note(f"{label} failed" + (f": {describe_error({'error': error})}" if error else ""))
    result = item.get("result")
    if kind == "image_generation_call" and isinstance(result, str) and result:
        image = f"a {item['output_format']} image" if isinstance(item.get("output_format"), str) else "an image"
        reply.note(f"{label}: {image} of {base64_size(result):,} bytes, sent as base64 (not kept in the merged reply; its event holds it)")


def list_tools(reply: ReplyBuilder, item: dict[str, Any]) -> None:
    """`response.output_item.done` of `mcp_list_tools`: which tools the MCP server offered the model."""
    server = item.get("server_label") or "?"
    if item.get("error"):
        reply.note(f"MCP server {server!r} could not list its tools: {describe_error({'error': item['error']})}")
        return
    names = [str(tool.get("name")) for tool in as_list(item.get("tools")) if isinstance(tool, dict)]
    shown = ", ".join(names[:_LISTED_NAMES]) + (", …" if len(names) > _LISTED_NAMES else "")
    reply.note(f"MCP server {server!r} offers {len(names)} tool{'s' if len(names) != 1 else ''}" + (f": {shown}" if names else ""))


def _input(kind: Any, item: dict[str, Any]) -> Any:
    if kind == "web_search_call":
        action = item.get("action")
        return action if isinstance(action, dict) else {}
    if kind == "file_search_call":
        return {"queries": as_list(item.get("queries"))}
    return {key: item[key] for key in _IMAGE_SETTINGS if item.get(key) is not None}
