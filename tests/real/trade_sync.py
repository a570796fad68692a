"""The Odoo side of the front-office trade: the recorded shop events through the streams' mappers into
the Odoo sink, then every Odoo order compared with the shop's as a merchant compares them.

Runs against the real Odoo 18 (``scenario_trade``) or the Odoo twin (CI). What it prepares in Odoo is
the merchant's setup, as the integration user (recorded with the rest): the shop's rates as sale taxes
where Odoo has none, the shop's products (by SKU), the run's shipping, voucher and tax rounding service
products, a Delivery Method per shop carrier, each shop currency active with its pricelist.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import requests

from kernel.settings import get_settings
from schemas.order import Order
from schemas.records import Address, Canonical, Customer, PaymentCapture
from sinks.common.errors import TerminalError
from sinks.common.handlers import CommandMeta
from sinks.odoo.client import OdooClient
from sinks.odoo.config import load_config
from sinks.odoo.sink import OdooSink
from streams.mapping.prestashop import PrestaShopContext
from tests.real.shop_rows import Event, assembled, mapped, status_of

META = CommandMeta("scenario", frozenset(), frozenset(), None, None)
SHOP_ZONE = ZoneInfo("Europe/Paris")
CTX = PrestaShopContext(shop_timezone=SHOP_ZONE)
IRELAND = 26
# the trade's rates (23 %, 9 %, none; the install's demo orders 20 %), in the order the twin's seed has them
TAXES = (("23", False), ("23", True), ("0", False), ("20", False), ("20", True), ("9", False), ("9", True))
CENT = Decimal("0.01")


def _rows(steps: list[dict[str, Any]], table: str) -> list[dict[str, Any]]:
    return [
        e["payload"]["after"] for s in steps for e in s["events"] if e["payload"]["source"]["table"] == f"ps_{table}"
    ]


class OdooSide:
    def __init__(
        self, url: str, database: str, login: str, key: str, session: requests.Session, *, fresh_start: bool = False
    ) -> None:
        self.url, self.database, self.login, self.key, self.session = url, database, login, key, session
        self.fresh_start = fresh_start
        self.tmp = Path(tempfile.mkdtemp(prefix="trade-odoo-"))
        self.options: dict[str, Any] | None = None  # what prepare made, once per Odoo

    def _config(self, login: str, secret: str, name: str, **options: Any) -> Any:
        key_file = self.tmp / name
        key_file.write_text(secret)
        return load_config(
            get_settings(), url=self.url, database=self.database, login=login, api_key_file=key_file, **options
        )

    def client(self, session: requests.Session | None = None) -> OdooClient:
        return OdooClient(self._config(self.login, self.key, "key"), session=session or self.session)

    def prepare(self, steps: list[dict[str, Any]]) -> dict[str, Any]:
        """The merchant's setup in Odoo, as the integration user; the sink options it implies (made once:
        a second call answers the first one's options)."""
        if self.options is None:
            self.options = self._prepare(steps)
        return self.options

    def _prepare(self, steps: list[dict[str, Any]]) -> dict[str, Any]:
        shop = next(s for s in steps if s["kind"] == "shop")
        currencies = {int(k): v for k, v in shop["currencies"].items()}
        shipping, voucher = f"TRADE-SHIP-{shop['tag']}", f"TRADE-DISC-{shop['tag']}"
        rounding = f"TRADE-ROUND-{shop['tag']}"
        if self.fresh_start:  # a real Odoo holding earlier runs: their pricelists archived, as on a fresh twin
            self._archive_earlier(sorted(set(currencies.values())))
        client = self.client()
        client.connect()
        self._taxes(client)
        skus = sorted({str(r["product_reference"]) for r in _rows(steps, "order_detail")})
        goods = [{"name": f"Shop {code}", "default_code": code, "type": "consu", "is_storable": True} for code in skus]
        services = [
            {"name": f"Shop {code}", "default_code": code, "type": "service"} for code in (shipping, voucher, rounding)
        ]
        made = client.create("product.product", goods + services)
        # each shop carrier a Delivery Method of its own, on the run's shipping product (delivery: product_id)
        carriers = {
            int(k): client.create(
                "delivery.carrier",
                [{"name": f"Shop {name} {shop['tag']}", "product_id": made[len(goods)], "delivery_type": "fixed"}],
            )[0]
            for k, name in sorted(shop["carriers"].items())
        }
        ireland = client.search_read("res.country", [("code", "=", "IE")], ["id"], limit=1)
        for iso in sorted(set(currencies.values())):  # each shop currency active, with its pricelist
            found = client.search_read(
                "res.currency", [("name", "=", iso)], ["id", "active"], context={"active_test": False}
            )
            if not found[0]["active"]:
                client.write("res.currency", [found[0]["id"]], {"active": True})
            client.create("product.pricelist", [{"name": f"Shop {iso} {shop['tag']}", "currency_id": found[0]["id"]}])
        return {
            "country_ids": {IRELAND: int(ireland[0]["id"])},
            "currency_codes": currencies,
            "shipping_product_code": shipping,
            "discount_product_code": voucher,
            "rounding_product_code": rounding,
            "carrier_ids": carriers,
        }

    def _taxes(self, client: OdooClient) -> None:
        """The shop's rates as sale taxes, excluded and included, where the ERP has none (a fresh Odoo 18:
        only its chart's; the twin's seed has these, made on the real one by tests/real/probe_taxes.py)."""
        have = {
            (Decimal(str(r["amount"])), bool(r["price_include"]))
            for r in client.search_read(
                "account.tax",
                [("type_tax_use", "=", "sale"), ("amount_type", "=", "percent")],
                ["amount", "price_include"],
            )
        }
        for rate, included in TAXES:
            if (Decimal(rate), included) not in have:
                label = "" if rate == "0" else " (incl)" if included else " (excl)"
                client.create(
                    "account.tax",
                    [
                        {
                            "name": f"PS {rate}%{label}",
                            "amount": float(rate),
                            "amount_type": "percent",
                            "type_tax_use": "sale",
                            "price_include_override": "tax_included" if included else "tax_excluded",
                        }
                    ],
                )

    def _archive_earlier(self, isos: list[str]) -> None:
        """Unrecorded (its own session): earlier runs' pricelists archived, a second currency inactive again."""
        client = self.client(requests.Session())
        earlier = client.search_read("product.pricelist", [("name", "=like", "Shop %")], ["id"])
        if earlier:
            client.write("product.pricelist", [r["id"] for r in earlier], {"active": False})
        company = client.search_read("res.company", [], ["currency_id"], limit=1)[0]["currency_id"][1]
        others = client.search_read("res.currency", [("name", "in", [i for i in isos if i != company])], ["id"])
        if others:
            client.write("res.currency", [r["id"] for r in others], {"active": False})

    def sink(self, options: dict[str, Any]) -> tuple[OdooSink, OdooClient]:
        config = self._config(self.login, self.key, "key", **options)
        client = OdooClient(config, session=self.session)
        return OdooSink(config, client), client


@dataclass
class Report:
    outcomes: list[tuple[str, str]] = field(default_factory=list)  # (step, "applied" | dead letter)
    differences: list[str] = field(default_factory=list)
    orders: int = 0
    payments: int = 0

    @property
    def dead_letters(self) -> list[tuple[str, str]]:
        return [o for o in self.outcomes if o[1] != "applied"]

    @property
    def ok(self) -> bool:
        return self.orders >= 30 and not self.dead_letters and not self.differences

    def lines(self) -> list[str]:
        return [f"{'ok ' if why == 'applied' else 'BAD'} {step}: {why}" for step, why in self.outcomes] + [
            f"DIFF {d}" for d in self.differences
        ]

    def summary(self) -> dict[str, Any]:
        return {
            "orders": self.orders,
            "payments": self.payments,
            "steps": len(self.outcomes),
            "dead_letters": len(self.dead_letters),
            "differences": len(self.differences),
        }


def _apply(sink: OdooSink, record: Canonical) -> str:
    try:
        if isinstance(record, Customer):
            result: Any = sink.upsert_customers([(record, META)])[0]
        elif isinstance(record, Order):
            result = sink.orders.upsert_orders([(record, META)])[0]
        else:
            result = sink.handlers()[type(record)](record, META)
    except TerminalError as exc:
        return f"dead letter: {exc.reason}"
    return f"dead letter: {result.reason}" if isinstance(result, TerminalError) else "applied"


def sync(steps: list[dict[str, Any]], odoo: OdooSide) -> Report:
    sink, client = odoo.sink(odoo.prepare(steps))
    report = Report()
    seen: dict[int, list[Event]] = {}  # every row of each order so far, as the processor buffers them
    for step in steps:
        events: list[Event] = step["events"]
        for event in events:
            after = event["payload"]["after"]
            if "id_order" in after and event["payload"]["source"]["table"] != "ps_customer":
                seen.setdefault(int(after["id_order"]), []).append(event)
        if step["kind"] == "customer":
            records: list[Canonical] = [r for r in mapped(events, CTX) if isinstance(r, Customer | Address)]
        elif step["kind"] in ("order", "edit"):
            records = [assembled(seen[int(events[0]["payload"]["after"]["id_order"])], CTX)]
        elif step["kind"] == "status":
            records = [status_of(events, CTX)]
        else:
            continue
        for record in records:
            report.outcomes.append((step["step"], _apply(sink, record)))
        if step["kind"] in ("order", "status"):  # the shop's payments of the order, after it (one transaction)
            payments = [r for r in mapped(_table(events, "order_payment"), CTX) if isinstance(r, PaymentCapture)]
            for payment in payments:
                report.outcomes.append((f"{step['step']}: payment {payment.reference}", _apply(sink, payment)))
    compare(steps, client, sink, report)
    compare_payments(steps, client, report)
    return report


def _table(events: list[Event], table: str) -> list[Event]:
    return [e for e in events if e["payload"]["source"]["table"] == f"ps_{table}"]


def compare_payments(steps: list[dict[str, Any]], client: OdooClient, report: Report) -> None:
    """Every shop payment a posted account.payment of its order's partner, amount and currency."""
    shop = {f"PS-P-{r['id_order_payment']}": r for r in _rows(steps, "order_payment")}
    report.payments = len(shop)
    if not shop:
        return
    paid = {
        r["payment_reference"]: r
        for r in client.search_read(
            "account.payment",
            [("payment_reference", "in", sorted(shop))],
            ["payment_reference", "amount", "currency_id", "partner_id", "state", "memo", "payment_type"],
        )
    }
    orders = {
        r["client_order_ref"]: r
        for r in client.search_read(
            "sale.order",
            [("client_order_ref", "in", sorted({str(r["order_reference"]) for r in shop.values()}))],
            ["client_order_ref", "partner_id", "currency_id"],
        )
    }
    for ref, row in sorted(shop.items()):
        odoo, order = paid.get(ref), orders.get(str(row["order_reference"]))
        if odoo is None or order is None:
            report.differences.append(f"payment {ref} of {row['order_reference']}: no account.payment / sale.order")
            continue
        want = (Decimal(row["amount"]).quantize(CENT), order["currency_id"][0], order["partner_id"][0])
        have = (Decimal(str(odoo["amount"])).quantize(CENT), odoo["currency_id"][0], odoo["partner_id"][0])
        if want != have or odoo["state"] not in ("in_process", "paid") or odoo["memo"] != row["order_reference"]:
            report.differences.append(
                f"payment {ref}: Odoo {have} {odoo['state']} memo {odoo['memo']!r} vs shop {want} "
                f"{row['order_reference']}"
            )


def _odoo_state(code: str | None, sink: OdooSink) -> str:
    options = sink.config.options
    return "sale" if code in options.confirm_states else "cancel" if code in options.cancel_states else "draft"


def compare(steps: list[dict[str, Any]], client: OdooClient, sink: OdooSink, report: Report) -> None:
    """Every shop order (its latest row) against its sale.order, as a merchant compares them."""
    shop = {int(r["id_order"]): r for r in _rows(steps, "orders")}  # later events win
    lines = list({int(r["id_order_detail"]): r for r in _rows(steps, "order_detail")}.values())  # latest
    emails = {int(r["id_customer"]): str(r["email"]).lower() for r in _rows(steps, "customer")}
    currencies = next(s for s in steps if s["kind"] == "shop")["currencies"]
    report.orders = len(shop)
    rows = {
        r["client_order_ref"]: r
        for r in client.search_read(
            "sale.order",
            [("client_order_ref", "in", [r["reference"] for r in shop.values()])],
            [
                "client_order_ref",
                "amount_untaxed",
                "amount_total",
                "state",
                "partner_id",
                "date_order",
                "currency_id",
                "carrier_id",
            ],
        )
    }
    order_ids = [r["id"] for r in rows.values()]
    odoo_lines = (
        client.search_read(
            "sale.order.line",
            [("order_id", "in", order_ids)],
            ["order_id", "product_id", "product_uom_qty", "price_subtotal", "price_total", "tax_id", "is_delivery"],
        )
        if order_ids
        else []
    )
    products = (
        {
            r["id"]: r["default_code"]
            for r in client.search_read(
                "product.product",
                [("id", "in", sorted({ln["product_id"][0] for ln in odoo_lines}))],
                ["default_code"],
                context={"active_test": False},
            )
        }
        if odoo_lines
        else {}
    )
    taxes = (
        {
            r["id"]: Decimal(str(r["amount"]))
            for r in client.search_read(
                "account.tax",
                [("id", "in", sorted({t for ln in odoo_lines for t in ln["tax_id"]}))],
                ["amount"],
                context={"active_test": False},
            )
        }
        if odoo_lines
        else {}
    )
    partners = (
        {
            r["id"]: (r.get("email") or "").lower()
            for r in client.search_read(
                "res.partner",
                [("id", "in", sorted({r["partner_id"][0] for r in rows.values()}))],
                ["email"],
                context={"active_test": False},
            )
        }
        if rows
        else {}
    )
    partner_of_email: dict[str, int] = {}
    for order_id, row in sorted(shop.items()):
        ref = row["reference"]
        odoo = rows.get(ref)
        if odoo is None:
            report.differences.append(f"{ref}: no sale.order")
            continue
        diffs = []
        for name, shop_value, odoo_value in (
            ("amount_untaxed", row["total_paid_tax_excl"], odoo["amount_untaxed"]),
            ("amount_total", row["total_paid_tax_incl"], odoo["amount_total"]),
        ):
            if Decimal(shop_value).quantize(CENT) != Decimal(str(odoo_value)).quantize(CENT):
                diffs.append(f"{name} {odoo_value} vs shop {shop_value}")
        state = _odoo_state(CTX.order_states.get(int(row["current_state"])), sink)
        if odoo["state"] != state:
            diffs.append(f"state {odoo['state']!r} vs shop {row['current_state']} (wants {state!r})")
        placed = datetime.fromtimestamp(row["date_add"] / 1000, UTC).replace(tzinfo=SHOP_ZONE).astimezone(UTC)
        if odoo["date_order"] != placed.strftime("%Y-%m-%d %H:%M:%S"):
            diffs.append(f"date_order {odoo['date_order']} vs shop {placed:%Y-%m-%d %H:%M:%S} UTC")
        if odoo["currency_id"][1] != currencies[str(row["id_currency"])]:
            diffs.append(f"currency {odoo['currency_id'][1]} vs shop {currencies[str(row['id_currency'])]}")
        email = emails.get(int(row["id_customer"]), "")
        partner = odoo["partner_id"][0]
        if partners.get(partner) != email or partner_of_email.setdefault(email, partner) != partner:
            diffs.append(
                f"partner {odoo['partner_id']} ({partners.get(partner)}) vs shop {email} "
                f"(partner {partner_of_email[email]})"
            )
        mine = [ln for ln in odoo_lines if ln["order_id"][0] == odoo["id"]]
        rounded = Decimal(0)
        options = sink.config.options
        carrier = options.carrier_ids.get(int(row["id_carrier"]))
        delivery = sum(1 for ln in mine if ln["is_delivery"])
        wanted = 1 if carrier is not None and Decimal(row["total_shipping_tax_excl"]) else 0
        if (odoo["carrier_id"] or [None])[0] != carrier or delivery != wanted:
            diffs.append(
                f"carrier {odoo['carrier_id']} with {delivery} delivery line(s) vs shop carrier "
                f"{row['id_carrier']} (delivery.carrier {carrier}, {wanted} delivery line)"
            )
        for shop_line in (ln for ln in lines if int(ln["id_order"]) == order_id):
            code = shop_line["product_reference"]
            match = [ln for ln in mine if products.get(ln["product_id"][0]) == code]
            want = (
                Decimal(shop_line["product_quantity"]),
                Decimal(shop_line["total_price_tax_excl"]).quantize(CENT),
                Decimal(shop_line["total_price_tax_incl"]).quantize(CENT),
                Decimal(shop_line["tax_rate"]),
            )
            have = [
                (
                    Decimal(str(ln["product_uom_qty"])),
                    Decimal(str(ln["price_subtotal"])).quantize(CENT),
                    Decimal(str(ln["price_total"])).quantize(CENT),
                    sum((taxes[t] for t in ln["tax_id"]), Decimal(0)),
                )
                for ln in match
            ]
            if len(have) == 1 and have[0][:2] == want[:2] and have[0][3] == want[3]:
                rounded += want[2] - have[0][2]  # only its tax: the cent the rounding lines must carry
            elif [want] != have:
                diffs.append(f"line {code}: Odoo {have} vs shop {want}")
        rounding = [ln for ln in mine if products.get(ln["product_id"][0]) == options.rounding_product_code]
        base = sum((Decimal(str(ln["price_subtotal"])) for ln in rounding), Decimal(0))
        tax = sum((Decimal(str(ln["price_total"])) for ln in rounding), Decimal(0))
        if (base.quantize(CENT), tax.quantize(CENT)) != (Decimal(0).quantize(CENT), rounded.quantize(CENT)):
            diffs.append(f"tax rounding lines {base} / {tax} vs the lines' tax cents {rounded}")
        if diffs:
            report.differences.append(f"{ref} (shop order {order_id}): " + "; ".join(diffs))
