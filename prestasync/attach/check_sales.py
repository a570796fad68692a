"""`prestasync check`, what shop orders need in Odoo before the first one arrives (issue #13): a sale tax
for every rate the shop charges, the shipping, voucher and tax rounding service products, a pricelist
for every currency it sells in, and each carrier's Delivery Method. Read-only on both sides: the shop's
tables as the capture user, Odoo through the Odoo sink's own client (``search_read`` only). Without
these an order is dead-lettered, never imported wrong; this says so before the orders come.

``findings`` is pure (what was read in, findings out); ``check_sales`` does the reading.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kernel.settings import Settings
from prestasync.attach.findings import Finding, Report

if TYPE_CHECKING:
    from sinks.odoo.client import OdooClient

# Rates the shop can charge at home (its default country's tax rules of the groups products and carriers
# use) and the rates its orders already carry.
SHOP_RATES = (
    "SELECT DISTINCT t.rate FROM {p}tax t JOIN {p}tax_rule r ON r.id_tax = t.id_tax "
    "JOIN {p}tax_rules_group g ON g.id_tax_rules_group = r.id_tax_rules_group "
    "WHERE t.active = 1 AND t.deleted = 0 AND g.active = 1 AND g.deleted = 0 "
    "AND r.id_country = (SELECT value FROM {p}configuration WHERE name = 'PS_COUNTRY_DEFAULT' LIMIT 1) "
    "AND (g.id_tax_rules_group IN (SELECT id_tax_rules_group FROM {p}product_shop WHERE active = 1) "
    "OR g.id_tax_rules_group IN (SELECT id_tax_rules_group FROM {p}carrier_tax_rules_group_shop)) "
    "UNION SELECT DISTINCT tax_rate FROM {p}order_detail"
)
SHOP_CURRENCIES = "SELECT id_currency, iso_code FROM {p}currency WHERE active = 1 AND deleted = 0"
SHOP_CARRIERS = "SELECT id_carrier, name FROM {p}carrier WHERE active = 1 AND deleted = 0"
# What the capture user can read when the shop's tax, currency and carrier tables are not captured
# (attach mode: it is granted the captured tables only) or absent (the embedded shop twin): past orders.
ORDER_RATES = "SELECT DISTINCT tax_rate AS rate FROM {p}order_detail"
ORDER_CURRENCIES = "SELECT DISTINCT id_currency, CONCAT('id ', id_currency) AS iso_code FROM {p}orders"
ORDER_CARRIERS = "SELECT DISTINCT id_carrier, '' AS name FROM {p}orders WHERE id_carrier > 0"
# the payment methods the shop's payments name (order_payment.payment_method: what PaymentCapture.method carries)
SHOP_PAYMENT_METHODS = "SELECT DISTINCT payment_method FROM {p}order_payment WHERE payment_method <> ''"


@dataclass(frozen=True)
class SalesSetup:
    """What was read: the shop's side, and Odoo's answers."""

    read_from_orders: bool  # the shop's own tables were not readable: rates, currencies, carriers of past orders
    rates: Collection[Decimal]
    currencies: Mapping[int, str]  # id_currency -> ISO, active ones
    carriers: Mapping[int, str]  # id_carrier -> name, active paid ones
    odoo_rates: Collection[Decimal]  # percent sale taxes
    odoo_products: Collection[str]  # default_codes found among the service products asked for
    odoo_pricelists: Mapping[str, int]  # ISO -> pricelist id
    odoo_carriers: Mapping[int, str] | None = None  # active delivery.carrier id -> name; None: no ``delivery`` module
    payment_methods: Collection[str] = ()  # the methods of the shop's payments
    odoo_journals: Mapping[int, str] = field(default_factory=dict)  # active bank / cash journal id -> name


def findings(setup: SalesSetup, options: Any) -> list[Finding]:
    """``options``: the Odoo sink's settings (``ResolvedOdooConfig.options``)."""
    report = Report("odoo-sales")
    if setup.read_from_orders:
        report.info(
            "shop side",
            "the shop's tax rules, currencies and carriers are not readable here: what its "
            "past orders carry is checked (rates, currencies, carriers)",
        )
    mapped = {Decimal(k).normalize() for k in (*options.tax_ids, *options.tax_ids_included)}
    missing = sorted(
        r
        for r in {Decimal(r).normalize() for r in setup.rates}
        if r != 0 and r not in mapped and r not in {Decimal(o).normalize() for o in setup.odoo_rates}
    )
    if missing:
        report.problem(
            "sale taxes",
            f"the shop charges {', '.join(f'{r:f} %' for r in missing)}, which no Odoo "
            "percent sale tax has: orders with such lines are dead-lettered",
            "create a sale tax of each rate in Odoo (Accounting > Configuration > Taxes) or map it "
            "(odoo sink tax_ids / tax_ids_included)",
        )
    else:
        report.ok(
            "sale taxes",
            f"every rate the shop charges has an Odoo sale tax "
            f"({', '.join(f'{Decimal(r).normalize():f} %' for r in sorted(setup.rates))})",
        )
    wanted = {
        options.shipping_product_code: "shipping",
        options.discount_product_code: "voucher",
        options.rounding_product_code: "tax rounding",
    }
    wanted |= {
        code: f"shipping of carrier {carrier} {setup.carriers.get(carrier, '')}".strip()
        for carrier, code in options.shipping_product_codes.items()
    }
    absent = [f"{code} ({what})" for code, what in wanted.items() if code and code not in setup.odoo_products]
    if absent:
        report.problem(
            "service products",
            f"no product.product with default_code {', '.join(absent)}: orders "
            "with shipping, a voucher or a tax cent to round are dead-lettered",
            "create them in Odoo as services, or set shipping_product_code / discount_product_code / "
            "rounding_product_code / shipping_product_codes",
        )
    else:
        report.ok("service products", ", ".join(f"{c} ({w})" for c, w in wanted.items() if c))
    _carriers(report, setup, options.carrier_ids)
    _payment_journals(report, setup, options.payment_journal_ids)
    codes = options.currency_codes
    if not codes:
        if len(setup.currencies) > 1:
            report.problem(
                "currencies",
                f"the shop sells in {', '.join(sorted(setup.currencies.values()))} and "
                "currency_codes is empty: every order would be in Odoo's default pricelist's currency",
                "set the odoo sink's currency_codes (shop id_currency -> ISO code)",
            )
        else:
            report.warning(
                "currencies",
                "currency_codes is empty: orders take the partner's default pricelist "
                "(on a fresh Odoo 18: 'Default', in USD)",
                f"set currency_codes ({', '.join(f'{i}: {c}' for i, c in sorted(setup.currencies.items()))})",
            )
        return report.findings
    unnamed = [f"{i} {c}" for i, c in sorted(setup.currencies.items()) if i not in codes]
    no_list = sorted({iso for iso in codes.values() if iso not in setup.odoo_pricelists})
    if unnamed or no_list:
        why = "; ".join(
            x
            for x in (
                f"shop currencies not in currency_codes: {', '.join(unnamed)}" if unnamed else "",
                f"no active Odoo pricelist in {', '.join(no_list)}" if no_list else "",
            )
            if x
        )
        report.problem(
            "currencies",
            f"{why}: orders in them are dead-lettered",
            "name every shop currency in currency_codes and create a pricelist per currency in Odoo",
        )
    else:
        report.ok(
            "currencies",
            ", ".join(f"{iso} -> pricelist {setup.odoo_pricelists[iso]}" for iso in sorted(set(codes.values()))),
        )
    return report.findings


def _carriers(report: Report, setup: SalesSetup, carrier_ids: Mapping[int, int]) -> None:
    """Each shop carrier's Odoo Delivery Method (``carrier_ids``): a mapped one that Odoo lacks fails its
    orders' create; an unmapped one leaves the orders without one."""
    odoo = setup.odoo_carriers or {}
    wrong = [f"{c} -> {i}" for c, i in sorted(carrier_ids.items()) if i not in odoo]
    if wrong:
        report.problem(
            "carriers",
            f"carrier_ids names delivery.carrier ids Odoo has no active one of ({', '.join(wrong)})"
            + ("; the delivery module is not installed" if setup.odoo_carriers is None else "")
            + ": those carriers' orders are dead-lettered",
            "map each shop carrier to an active Delivery Method (Inventory > Configuration > Delivery Methods)",
        )
        return
    unmapped = [f"{c} {n}".strip() for c, n in sorted(setup.carriers.items()) if c not in carrier_ids]
    if unmapped:
        report.warning(
            "carriers",
            f"shop carriers with no Odoo Delivery Method: {', '.join(unmapped)}: their orders get no carrier_id",
            "map them in the odoo sink's carrier_ids (shop id_carrier -> delivery.carrier id"
            + (f"; Odoo has {', '.join(f'{i} {n}' for i, n in sorted(odoo.items()))}" if odoo else "")
            + ")",
        )
    else:
        report.ok("carriers", ", ".join(f"{c} -> {odoo[i]}" for c, i in sorted(carrier_ids.items())) or "none")


def _payment_journals(report: Report, setup: SalesSetup, journal_ids: Mapping[str, int]) -> None:
    """Each shop payment method's Odoo journal (``payment_journal_ids``): a mapped one Odoo lacks fails its
    payments; an unmapped method's payments go to Odoo's default journal (the first bank journal)."""
    wrong = [f"{m!r} -> {i}" for m, i in sorted(journal_ids.items()) if i not in setup.odoo_journals]
    if wrong:
        report.problem(
            "payment journals",
            f"payment_journal_ids names journals Odoo has no active bank or cash journal of ({', '.join(wrong)}): "
            "those payments are dead-lettered",
            "map each shop payment method to an Odoo bank or cash journal (Accounting > Configuration > Journals)",
        )
        return
    unmapped = sorted(m for m in setup.payment_methods if m not in journal_ids)
    default = next(iter(setup.odoo_journals.values()), "none")
    mapped = ", ".join(f"{m} -> {setup.odoo_journals[i]}" for m, i in sorted(journal_ids.items()))
    if unmapped:
        report.info(
            "payment journals",
            f"payments by {', '.join(unmapped)} go to Odoo's default journal ({default})"
            + (f"; {mapped}" if mapped else ""),
        )
    else:
        report.ok("payment journals", mapped or "no shop payments yet")


def _odoo_carriers(client: OdooClient) -> dict[int, str] | None:
    try:
        return {int(r["id"]): str(r["name"]) for r in client.search_read("delivery.carrier", [], ["id", "name"])}
    except Exception:  # no such model: Odoo without its delivery module (the driver's own error class)
        return None


def read_setup(query: Callable[[str], list[dict[str, Any]]], client: OdooClient, options: Any) -> SalesSetup:
    """``query``: a read of the shop's database (``{p}`` stands for its table prefix)."""
    from sinks.odoo.order_terms import OrderTerms

    terms = OrderTerms(client, options)
    codes = sorted(terms.product_codes())
    fallback: list[bool] = []

    def read(sql: str, from_orders: str) -> list[dict[str, Any]]:
        try:
            return query(sql)
        except Exception:  # not granted or not there (the driver's own error class): the orders say it
            fallback.append(True)
            return query(from_orders)

    rates = [Decimal(str(r["rate"])) for r in read(SHOP_RATES, ORDER_RATES)]
    currencies = {int(r["id_currency"]): str(r["iso_code"]) for r in read(SHOP_CURRENCIES, ORDER_CURRENCIES)}
    carriers = {int(r["id_carrier"]): str(r["name"]) for r in read(SHOP_CARRIERS, ORDER_CARRIERS)}
    return SalesSetup(
        read_from_orders=bool(fallback),
        rates=rates,
        currencies=currencies,
        carriers=carriers,
        odoo_rates=[
            Decimal(str(r["amount"]))
            for r in client.search_read(
                "account.tax", [("type_tax_use", "=", "sale"), ("amount_type", "=", "percent")], ["amount"]
            )
        ],
        odoo_products={
            str(r["default_code"])
            for r in client.search_read("product.product", [("default_code", "in", codes)], ["default_code"])
        }
        if codes
        else set(),
        odoo_pricelists=terms.find_pricelists(sorted(set(options.currency_codes.values()))),
        odoo_carriers=_odoo_carriers(client),
        payment_methods=[str(r["payment_method"]) for r in query(SHOP_PAYMENT_METHODS)],
        odoo_journals={
            int(r["id"]): str(r["name"])
            for r in client.search_read("account.journal", [("type", "in", ["bank", "cash"])], ["id", "name"])
        },
    )


def check_sales(settings: Settings) -> list[Finding]:
    from prestasync.ops.reconcile_read import shop_rows
    from sinks.odoo.client import OdooClient
    from sinks.odoo.config import load_config

    try:
        config = load_config(settings)
        client = OdooClient(config)
        client.connect(uid=settings.streams.integration_uid)  # no login: it writes a res_users_log row
        try:
            setup = read_setup(lambda sql: shop_rows(settings, sql), client, config.options)
        finally:
            client.close()
    except Exception as exc:  # a preflight reports what it could not read, it does not stop
        report = Report("odoo-sales")
        report.problem(
            "read",
            f"could not read the shop's or Odoo's sale setup: {type(exc).__name__}: {exc}",
            "run the mariadb and odoo-api checks first (`prestasync check --only ...`)",
        )
        return report.findings
    return findings(setup, config.options)
