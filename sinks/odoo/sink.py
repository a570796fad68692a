"""The Odoo target: which handler applies which command type (``build_sink(settings)``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kernel.settings import Settings
from schemas.order import Order, OrderStatus, OrderStatusChange
from schemas.records import Address, Canonical, Customer, CustomerGroup, PaymentCapture
from sinks.common.errors import TerminalError, check_key_at_start
from sinks.common.handlers import Applied, BatchHandler, BatchItem, BatchResult, CommandMeta, Handler
from sinks.odoo.client import OdooClient
from sinks.odoo.config import ResolvedOdooConfig, load_config
from sinks.odoo.customer_groups import GroupWriter
from sinks.odoo.orders import OrderWriter
from sinks.odoo.partners import upsert_address, upsert_customers
from sinks.odoo.payments import PaymentWriter


def _single(batch: BatchHandler) -> Handler:
    """A one-command handler from a batch handler (same code path, so the same idempotency)."""

    def handle(record: Canonical, meta: CommandMeta) -> Applied:
        result = batch([(record, meta)])[0]
        if isinstance(result, TerminalError):
            raise result
        return result

    return handle


class OdooSink:
    system = "odoo"

    def __init__(self, config: ResolvedOdooConfig, client: OdooClient | None = None) -> None:
        self.config = config
        self.client = client or OdooClient(config)
        self.orders = OrderWriter(self.client, config)
        self.payments = PaymentWriter(self.client, config)
        self.groups = GroupWriter(self.client, config)

    def upsert_customers(self, items: Sequence[BatchItem]) -> BatchResult:
        return upsert_customers(self.client, items, join_by_email=self.config.options.match_customers_by_email)

    def upsert_address(self, record: Canonical, meta: CommandMeta) -> Applied:
        return upsert_address(self.client, self.config, record, meta)

    def batch_handlers(self) -> Mapping[type[Canonical], BatchHandler]:
        return {Customer: self.upsert_customers, Order: self.orders.upsert_orders}

    def handlers(self) -> Mapping[type[Canonical], Handler]:
        return {
            Customer: _single(self.upsert_customers),
            Order: _single(self.orders.upsert_orders),
            Address: self.upsert_address,
            OrderStatusChange: self.orders.set_status,
            OrderStatus: self.orders.set_status,
            PaymentCapture: self.payments.upsert,
            CustomerGroup: self.groups.upsert,
        }

    def close(self) -> None:
        self.client.close()


def build_sink(settings: Settings, **overrides: object) -> OdooSink:
    """The sink for these settings, checked once at start like the PrestaShop sink: a key the ERP refuses
    stops the process here (:class:`KeyRejected`); an unreachable ERP is left to the worker's retries."""
    sink = OdooSink(load_config(settings, **overrides))
    # JSON-RPC: connect() is common.login, the call the first command would make, so the key is verified
    # here. JSON-2 (19.0) has no login: its key is verified by the first command (CredentialsRefused:
    # pause and alert); no extra call is made that no real Odoo 19 was checked against.
    check_key_at_start("odoo", f"the API key of {sink.config.login!r}", sink.client.connect, sink.close)
    return sink
