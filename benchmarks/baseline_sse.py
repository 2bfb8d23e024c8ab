"""The consumer a user would write without Sluice: httpx + httpx-sse, json.loads of each data."""

import json
import sys

import httpx
from httpx_sse import connect_sse

count = 0
with httpx.Client(timeout=None) as client:
    with connect_sse(client, "GET", sys.argv[1]) as source:
        for event in source.iter_sse():
            if event.data != "[DONE]":
                json.loads(event.data)
            count += 1
print(count)
