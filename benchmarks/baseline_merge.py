"""The merge a user would write without Sluice: httpx-sse, json.loads, join choices[0].delta.content."""

import asyncio
import json
import sys

import httpx
from httpx_sse import aconnect_sse


async def main(url: str) -> str:
    parts = []
    async with httpx.AsyncClient(timeout=None) as client, aconnect_sse(client, "GET", url) as source:
        async for event in source.aiter_sse():
            if event.data == "[DONE]":
                break
            choices = json.loads(event.data).get("choices") or []
            if choices:
                content = choices[0].get("delta", {}).get("content")
                if content:
                    parts.append(content)
    return "".join(parts)


if __name__ == "__main__":
    print(asyncio.run(main(sys.argv[1])))
