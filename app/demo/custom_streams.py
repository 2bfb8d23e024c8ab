"""Streams no built-in merge profile understands, for merge scripts (README "Merge scripts").

- `GET /text/tokens`: SSE whose `data:` lines are plain text pieces (`data: Hel`, `data: lo`), then
  `data: [DONE]`.
- `GET /xml/stream`: a plain `application/xml` body, one element per write: `<think>`, `<token>`s, a
  `<call>` with JSON arguments, `<done/>`.

Both take `?delay=S`. The bundled example scripts in `sample_collections/scripts/` merge them.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.routing import Route

from app.demo.framing import SseFrame, delay_param, split_tokens, sse_response, stream_response
from app.demo.providers.script import REASONING, REPLY, TOOL_ARGUMENTS_JSON, TOOL_NAME


def text_token_frames() -> list[SseFrame]:
    return [*(SseFrame(data=token) for token in split_tokens(REPLY)), SseFrame(data="[DONE]")]


def xml_elements() -> list[str]:
    call = f"<call id={quoteattr('call_1')} name={quoteattr(TOOL_NAME)}>{escape(TOOL_ARGUMENTS_JSON)}</call>"
    tokens = [f"<token>{escape(token)}</token>" for token in split_tokens(REPLY)]
    return [f"<think>{escape(REASONING)}</think>", *tokens, call, "<done/>"]


async def text_tokens(request: Request) -> StreamingResponse:
    return sse_response(text_token_frames(), delay_param(request))


async def xml_stream(request: Request) -> StreamingResponse:
    chunks = [element.encode("utf-8") for element in xml_elements()]
    return stream_response(chunks, "application/xml", delay_param(request))


routes = [
    Route("/text/tokens", text_tokens),
    Route("/xml/stream", xml_stream),
]
