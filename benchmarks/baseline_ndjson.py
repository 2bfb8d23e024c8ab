"""The consumer a user would write without Sluice: sync httpx `iter_lines` + json.loads of each line."""

import json
import sys

import httpx


def main(url: str) -> int:
    count = 0
    with httpx.Client(timeout=None) as client, client.stream("GET", url) as response:
        for line in response.iter_lines():
            if line:
                json.loads(line)
                count += 1
    return count


if __name__ == "__main__":
    print(main(sys.argv[1]))
