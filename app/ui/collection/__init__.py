"""The collection tree and its file operations."""
