"""Drives one request: worker, bus, consumers, cancellation, extraction and the outcome. No Textual."""
