"""The request editor and sending."""
