"""Proves whether a script ran at all: importing it writes a file named by SLUICE_TEST_MARKER."""

import os
from pathlib import Path

Path(os.environ["SLUICE_TEST_MARKER"]).write_text("this script ran")


def on_event(event):
    return event.data
