"""The NCE catalog (products, SKUs, availabilities); owned by the commerce engineer."""

from starlette.routing import BaseRoute

from o365portal.sandbox.state import Processor

routes: list[BaseRoute] = []
PROCESSORS: list[Processor] = []
