"""Sluice: a keyboard-driven terminal workbench for streaming APIs."""

__version__ = "0.1.0"
