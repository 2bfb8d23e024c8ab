"""Takes 50 ms per event, far slower than the stream."""

import time


def on_event(event):
    time.sleep(0.05)
    return event.data
