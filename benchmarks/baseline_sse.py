"""The consumer a user would write without Sluice: httpx + httpx-sse, json.loads of each data.

    python baseline_sse.py URL [--sync]

Async by default (`aconnect_sse` / `aiter_sse`, like the NDJSON baseline's `aiter_lines`); `--sync`
uses the blocking client (`connect_sse` / `iter_sse`), the faster of the two.
"""

import asyncio
import json
import sys

import httpx
from httpx_sse import aconnect_sse, connect_sse


def consume_sync(url: str) -> int:
    count = 0
    with httpx.Client(timeout=None) as client, connect_sse(client, "GET", url) as source:
        for event in source.iter_sse():
            if event.data != "[DONE]":
                json.loads(event.data)
            count += 1
    return count


async def consume_async(url: str) -> int:
    count = 0
    async with httpx.AsyncClient(timeout=None) as client, aconnect_sse(client, "GET", url) as source:
        async for event in source.aiter_sse():
            if event.data != "[DONE]":
                json.loads(event.data)
            count += 1
    return count


if __name__ == "__main__":
    target = sys.argv[1]
    print(consume_sync(target) if "--sync" in sys.argv[2:] else asyncio.run(consume_async(target)))
