"""The consumer a user would write without Sluice: a `websockets` client loop that counts messages."""

import asyncio
import sys

from websockets.asyncio.client import connect


async def main(url: str, count: int) -> int:
    received = 0
    async with connect(url, max_size=16 * 1024 * 1024) as websocket:
        async for _ in websocket:
            received += 1
            if received >= count:
                break
    return received


if __name__ == "__main__":
    print(asyncio.run(main(sys.argv[1], int(sys.argv[2]))))
