"""The sync policy as settings: who owns what (DESIGN §2.4), and the stream processors' knobs.

A section of the one settings tree (``kernel.settings``); ``docs/SETTINGS.md`` is generated from it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kernel.settings_systems import Frozen

SyncedSystem = Literal["prestashop", "odoo"]


class EntityOwnership(Frozen):
    """Who owns an entity's synced fields (DESIGN §2.4): ``creator`` creates it in the other
    system and owns every field not listed in ``owners``; ``create_only`` fields are sent when
    the other system's row is created and never synced afterwards."""

    creator: SyncedSystem = Field(
        description="the system that creates the entity in the other one and owns every field not in owners"
    )
    owners: dict[str, SyncedSystem] = Field(default_factory=dict, description="field -> the system owning it")
    create_only: tuple[str, ...] = Field(
        default=(), description="fields sent when the other system's row is created, never synced afterwards"
    )
    # e.g. a shop cancellation asks the ERP to cancel, instead of being drift; the owner's answer comes back
    forward: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="field -> values a non-owner's change to which is sent to the owner as a request",
    )
    reassert: bool | None = Field(default=None, description="overrides streams.reassert for this entity")


def _default_ownership() -> dict[str, EntityOwnership]:
    erp: SyncedSystem = "odoo"
    shop: SyncedSystem = "prestashop"
    return {
        # ERP owns product base data, prices and stock; the shop's descriptions, categories and
        # images live in rows the ERP never writes (product_lang, category_product, image).
        "product": EntityOwnership(creator=erp),
        "variant": EntityOwnership(creator=erp),
        "price_rule": EntityOwnership(creator=erp),
        "stock_level": EntityOwnership(creator=erp),
        "shipment": EntityOwnership(creator=erp),
        "invoice": EntityOwnership(creator=erp),
        # The shop owns orders and customers; the ERP owns an order's status once imported.
        "customer": EntityOwnership(creator=shop),
        "address": EntityOwnership(creator=shop),
        "customer_group": EntityOwnership(creator=shop),
        # Shop payments (order_payment -> PaymentCapture) become posted Odoo customer payments
        # (sinks/odoo/payments.py, #13); a merchant who records payments in the ERP only drops this entry
        # (streams.ownership without payment_capture): no command is then made for them.
        "payment_capture": EntityOwnership(creator=shop),
        # An order's state travels with its creation only; afterwards the order_status entity syncs
        # it: the ERP owns it (confirmed, shipped, cancelled flow to the shop), a shop payment or
        # cancellation is forwarded to the ERP, and other shop-side states are left alone.
        "order": EntityOwnership(creator=shop, owners={"state": erp}, create_only=("state",)),
        "order_status": EntityOwnership(creator=erp, forward={"state": ("paid", "cancelled")}, reassert=False),
    }


class StreamsSettings(Frozen):
    """The Faust stream processors (``prestasync run streams``) and their sync policy."""

    app_id: str = Field(default="prestasync-streams", description="Faust app id: consumer group, changelogs")
    topic_suffix: str = Field(default="", description="appended to prestasync's own topics (tests)")
    store: str = Field(
        default="rocksdb://",
        description="Faust table store, changelogged to Kafka: "
        "rocksdb:// keeps the tables on disk (<home>/streams/<app id>-data), so a restart "
        "reads only the changelog's tail; memory:// replays the whole changelog",
    )
    static_membership: bool = Field(
        default=True,
        description="a fixed group member id per app id and "
        "host (Kafka static membership): a restarted worker takes its "
        "partitions back at once instead of waiting out the dead one's session",
    )
    partitions: int = Field(default=1, description="partitions of prestasync's own topics and tables")
    start_from: Literal["earliest", "latest"] = Field(
        default="earliest",
        description="raw topics a new app id never committed: from their start, "
        "or from their end when the worker starts (tests; a long history is skipped)",
    )
    metrics_port: int = Field(default=9301, description="/metrics and /health (0: any free port)")
    session_timeout_s: float = Field(
        default=60.0,
        description="Kafka group session: how long a dead worker's partitions stay assigned before another takes them",
    )
    integration_uid: int = Field(default=6, description="Odoo res_users id of the integration user")
    breaker_flips: int = Field(default=10, description="commands per entity tolerated in the window")
    breaker_window_s: float = Field(default=60.0, description="the window of breaker_flips, seconds")
    assembly_timeout_s: float = Field(
        default=120.0,
        description="emit an order whose rows are still "
        "incomplete after this long (as a dead letter, with what arrived)",
    )
    pending_timeout_s: float = Field(default=600.0, description="forget an unmatched pending write")
    inflight_hold_s: float = Field(
        default=30.0, description="keep an acked order in flight until the ERP's stock shows it, at most this long"
    )
    shop_change_wait_s: float = Field(
        default=10.0,
        description="a shop stock change that is not our write (a checkout's decrement, a cancellation's "
        "restock) is not undone for this long, so its order or the ERP's stock can explain it; still "
        "unexplained after it, it is corrected (one write)",
    )
    reassert: bool = Field(default=True, description="write the owner's value back over drift")
    web_locations: tuple[int, ...] = Field(default=(8,), description="ERP stock locations of the web shop")
    store_locations: tuple[int, ...] = Field(default=(10,), description="ERP stock locations of stores")
    publish_unsellable: bool = Field(
        default=False, description="also publish ERP products not for sale (product_template.sale_ok false) in the shop"
    )
    unpublished_types: tuple[str, ...] = Field(
        default=("service",), description="ERP product types (product_template.type) never published in the shop"
    )
    ownership: dict[str, EntityOwnership] = Field(
        default_factory=_default_ownership,
        description="entity -> who owns it (see the table below); an entity given replaces its default whole",
    )
