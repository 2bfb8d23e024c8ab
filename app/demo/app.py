"""The demo ASGI app: every endpoint of the demo endpoint table, mounted on one Starlette router."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from app.demo import custom_streams, faults, seeds
from app.demo.framing import BadRequestParameter, bad_request_handler
from app.demo.providers import routes as provider_routes


def create_demo_app() -> Starlette:
    """Build the demo app: seed APIs, LLM provider look-alikes, test streams and WebSocket routes."""
    try:
        from app.demo.ws_routes import routes as ws_routes
    except ImportError:
        ws_routes = []
    all_routes: list[BaseRoute] = [
        *seeds.routes,
        *provider_routes.routes,
        *faults.routes,
        *custom_streams.routes,
        *ws_routes,
    ]
    return Starlette(
        routes=all_routes,
        exception_handlers={BadRequestParameter: bad_request_handler},
    )
