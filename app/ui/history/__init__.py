"""The history of sent requests."""
