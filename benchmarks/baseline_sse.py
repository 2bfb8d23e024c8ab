"""The consumer a user would write without Sluice: sync httpx + httpx-sse, json.loads of each data."""

import json
import sys

import httpx
from httpx_sse import connect_sse


def main(url: str) -> int:
    count = 0
    with httpx.Client(timeout=None) as client, connect_sse(client, "GET", url) as source:
        for event in source.iter_sse():
            if event.data != "[DONE]":
                json.loads(event.data)
            count += 1
    return count


if __name__ == "__main__":
    print(main(sys.argv[1]))
