"""The consumer a user would write without Sluice: httpx `aiter_lines` + json.loads of each line."""

import asyncio
import json
import sys

import httpx


async def main() -> int:
    count = 0
    async with httpx.AsyncClient(timeout=None) as client:
        async with client.stream("GET", sys.argv[1]) as response:
            async for line in response.aiter_lines():
                if line:
                    json.loads(line)
                    count += 1
    return count


print(asyncio.run(main()))
