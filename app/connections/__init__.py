"""Workers that own the I/O (httpx, websockets) and publish TimelineEvents to the bus."""
