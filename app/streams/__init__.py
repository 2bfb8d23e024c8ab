"""Pure, incremental parsers and the merge engine: bytes or events in, events out. No I/O, no UI."""
