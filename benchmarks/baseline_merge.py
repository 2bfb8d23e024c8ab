"""The merge a user would write without Sluice: sync httpx-sse, json.loads, join choices[0].delta.content."""

import json
import sys

import httpx
from httpx_sse import connect_sse


def main(url: str) -> str:
    parts = []
    with httpx.Client(timeout=None) as client, connect_sse(client, "GET", url) as source:
        for event in source.iter_sse():
            if event.data == "[DONE]":
                break
            choices = json.loads(event.data).get("choices") or []
            if choices:
                content = choices[0].get("delta", {}).get("content")
                if content:
                    parts.append(content)
    return "".join(parts)


if __name__ == "__main__":
    print(main(sys.argv[1]))
