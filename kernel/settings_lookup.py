"""The ``store_stock:`` section: the store-stock lookup service (``prestasync run store-stock``)."""

from __future__ import annotations

from pydantic import Field

from kernel.settings_systems import Frozen


class StoreStockSettings(Frozen):
    """The HTTP service the shop's product page asks which store has an item now."""

    host: str = Field(default="127.0.0.1", description="address the lookup listens on")
    port: int = Field(default=9311, description="GET /store-stock/<reference>, /health and /metrics")
    stores: dict[str, int] = Field(
        default_factory=lambda: {"store": 10},
        description="store code (what the shop shows and asks for) -> ERP stock location id; "
        "each should be one of streams.store_locations",
    )
    allowed_origins: tuple[str, ...] = Field(
        default=("http://127.0.0.1:8080", "http://localhost:8080"),
        description="shop origins a browser may call the lookup from (CORS); any other origin gets no CORS header",
    )
    max_age_s: int = Field(default=5, description="Cache-Control max-age of an answer (a browser or proxy reuses it)")
