"""The systems prestasync talks to, as sections of the one settings tree (``kernel.settings``).

Every field is documented here (its ``description``); ``docs/SETTINGS.md`` is generated from these
models and a unit test fails when the page and the models differ. Secrets are never values here:
a field ending in ``_file`` names a file holding one (mode 0600), read when a component starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class KafkaSettings(Frozen):
    """The Kafka cluster, Kafka Connect and the schema registry."""

    bootstrap: str = Field(default="127.0.0.1:9092", description="bootstrap servers, host:port[,host:port]")
    controller_port: int = Field(default=9093, description="KRaft controller port of the embedded broker")
    connect_url: str = Field(default="http://127.0.0.1:8083", description="Kafka Connect REST API")
    broker_heap: str = Field(default="512m", description="JVM heap of the embedded broker")
    connect_heap: str = Field(default="512m", description="JVM heap of the embedded Connect worker")
    local: bool = Field(
        default=True,
        description="prestasync starts Kafka and Connect on this machine; "
        "false: use the existing cluster at bootstrap / connect_url",
    )
    topic_prefix_shop: str = Field(
        default="shop",
        description="Debezium topic.prefix of the shop connector "
        "(its topics are <prefix>.<database>.<table>); another value also renames "
        "the connector (prestashop-mariadb-<prefix>)",
    )
    topic_prefix_erp: str = Field(
        default="erp",
        description="Debezium topic.prefix of the ERP connector; "
        "another value also renames the connector (odoo-postgres-<prefix>)",
    )
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        default="PLAINTEXT", description="how every client of prestasync reaches the brokers"
    )
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] = Field(
        default="PLAIN", description="with SASL_PLAINTEXT / SASL_SSL"
    )
    sasl_username: str | None = Field(default=None, description="with SASL_PLAINTEXT / SASL_SSL")
    sasl_password_file: Path | None = Field(default=None, description="file holding the SASL password")
    ssl_cafile: Path | None = Field(
        default=None,
        description="CA bundle the brokers' certificates are checked against (SSL / SASL_SSL; unset: the system's)",
    )
    ssl_certfile: Path | None = Field(default=None, description="client certificate (mutual TLS)")
    ssl_keyfile: Path | None = Field(default=None, description="the client certificate's private key")
    ssl_check_hostname: bool = Field(default=True, description="check the brokers' certificate names")
    initial_snapshot: Literal["blocking", "incremental"] = Field(
        default="blocking",
        description="how the connectors read the rows already there when first started: blocking (Debezium's "
        "initial snapshot; one interrupted starts again from the first row) or incremental (they only stream; "
        "`prestasync onboard snapshot` reads the tables in chunks, resumed from the last chunk after an interruption)",
    )
    schema_registry_url: str | None = Field(
        default=None,
        description="Confluent-compatible schema registry (Apicurio, Karapace, Confluent); "
        "unset: canonical records use Avro single-object encoding",
    )
    schema_registry_username: str | None = Field(default=None, description="basic-auth user of the registry")
    schema_registry_password_file: Path | None = Field(default=None, description="file holding its password")
    schema_registry_cafile: Path | None = Field(default=None, description="CA bundle for an https registry")


class MariaDbSettings(Frozen):
    """The shop's database (PrestaShop on MariaDB / MySQL)."""

    host: str = Field(default="127.0.0.1", description="server host")
    port: int = Field(default=3306, description="server port")
    socket: str = Field(default="/run/mysqld/mysqld.sock", description="unix socket of the embedded server")
    database: str = Field(default="prestashop", description="the shop's database")
    table_prefix: str = Field(default="ps_", description="the shop's table prefix (_DB_PREFIX_)")
    admin_user: str = Field(default="root", description="embedded mode: the admin user over TCP when no socket")
    client_host: str = Field(default="127.0.0.1", description="host part of the created users ('%' in containers)")
    app_user: str = Field(default="prestashop", description="embedded mode: the shop's own user (the twin's)")
    capture_user: str = Field(default="debezium", description="the CDC user Debezium connects as")
    capture_password_file: Path | None = Field(
        default=None, description="the capture user's password; default <home>/secrets/mariadb_capture.password"
    )
    signal_table: str = Field(default="debezium_signal", description="Debezium's signal table, in the shop database")
    server_id: int = Field(default=184054, description="the binlog client id of the connector (unique per server)")


class PostgresSettings(Frozen):
    """The ERP's database (Odoo on PostgreSQL)."""

    host: str = Field(default="127.0.0.1", description="server host")
    port: int = Field(default=5432, description="server port")
    database: str = Field(default="odoo", description="the ERP's database")
    app_user: str = Field(default="odoo", description="embedded mode: the ERP's own role (the twin's)")
    capture_user: str = Field(default="debezium", description="the CDC role Debezium connects as")
    capture_password_file: Path | None = Field(
        default=None, description="the capture role's password; default <home>/secrets/postgres_capture.password"
    )
    signal_table: str = Field(default="debezium_signal", description="Debezium's signal table, schema public")
    admin_user: str = Field(default="prestasync_admin", description="embedded mode: the superuser role it creates")
    publication: str = Field(default="prestasync_odoo", description="the publication Debezium reads")
    slot: str = Field(default="prestasync_odoo", description="the logical replication slot")


class ShopSettings(Frozen):
    """The shop: its webservice, its ids and languages, its clock."""

    api_url: str | None = Field(
        default=None,
        description="the webservice, https://<shop>/api; "
        "default: the sandbox twin, http://<sandbox.host>:<sandbox.prestashop_port>/api",
    )
    api_key_file: Path | None = Field(
        default=None, description="the webservice key; default <home>/secrets/prestashop_webservice.key"
    )
    api_version: str | None = Field(
        default=None, description="force the PSWS-Version (a proxy strips the header); unset: ask the server"
    )
    shop_id: int = Field(default=1, description="the id_shop synced (multistore: one shop per deployment)")
    shop_group_id: int = Field(
        default=1, description="the id_shop_group of that shop (shared stock is kept per shop group)"
    )
    languages: dict[int, str] = Field(
        default_factory=lambda: {1: "en_US"}, description="id_lang -> locale of the shop's languages"
    )
    timezone: str | None = Field(
        default=None,
        description="the shop's PS_TIMEZONE (its DATETIMEs are that zone's wall clock); "
        "unset: read from the shop's configuration table at start, else UTC",
    )
    default_category_id: int = Field(
        default=2, description="category of the products the sink creates (PS_HOME_CATEGORY of a stock install)"
    )
    tax_rules_group_id: int = Field(
        default=0,
        description="tax rules group of the products the sink creates (0: none, sold without tax; "
        "an Irish 8.1.2 install has 1 = IE Standard Rate 23 %)",
    )
    parent_wait_s: float = Field(
        default=600.0,
        description="a combination whose parent product is not in the shop yet is retried while the command "
        "is younger than this (the product's own command may still be on its way), then dead-lettered",
    )
    send_emails: bool = Field(
        default=False, description="sendemail=1 on the order states the sink writes: the shop mails the customer"
    )
    connect_timeout: float = Field(default=5.0, description="seconds to connect to the webservice")
    read_timeout: float = Field(default=30.0, description="seconds to wait for its answer")
    create_grace: float = Field(
        default=60.0,
        description="a create (POST) whose answer timed out may still be "
        "running in the shop: seconds to wait before looking the record up and retrying, "
        "so a late write is found instead of created twice",
    )


# Canonical order states (streams' state maps) -> what the Odoo sink does to the sale.order.
DEFAULT_CONFIRM_STATES = ("paid", "processing", "shipped", "delivered", "backorder_paid", "confirmed")
DEFAULT_CANCEL_STATES = ("cancelled",)


class ErpSettings(Frozen):
    """The ERP (Odoo): its API, the integration user, and the ERP records the mapping uses."""

    url: str | None = Field(default=None, description="base URL; default http://<sandbox.host>:<sandbox.odoo_port>")
    database: str | None = Field(default=None, description="the Odoo database name; default postgres.database")
    login: str | None = Field(default=None, description="the integration user; default sandbox.odoo_login")
    api_key_file: Path | None = Field(default=None, description="its API key; default <home>/secrets/odoo_api.key")
    protocol: Literal["auto", "jsonrpc", "json2"] = Field(
        default="auto", description="auto: JSON-2 from 19.0, JSON-RPC before"
    )
    connect_timeout: float = Field(default=5.0, description="seconds to connect")
    read_timeout: float = Field(default=30.0, description="seconds to wait for an answer")
    lang: str = Field(default="en_US", description="the context language of the calls")
    shipping_product_code: str | None = Field(
        default="SHIP-WEB",
        description="default_code of the service "
        "product of shipping lines (an order needing a missing one is "
        "dead-lettered, never imported with a wrong total)",
    )
    discount_product_code: str | None = Field(
        default="DISC-WEB", description="default_code of the service product of voucher lines"
    )
    rounding_product_code: str | None = Field(
        default="ROUND-WEB",
        description="default_code of the service product of tax rounding lines: a shop line whose tax "
        "Odoo rounds a cent apart (a converted price) gets a pair of lines of opposite base, one at "
        "its tax carrying the cent, one at no tax; empty or absent in Odoo: such orders are dead-lettered",
    )
    shipping_product_codes: dict[int, str] = Field(
        default_factory=dict,
        description="PrestaShop id_carrier -> "
        "default_code of that carrier's shipping service product "
        "(else shipping_product_code)",
    )
    carrier_ids: dict[int, int] = Field(
        default_factory=dict,
        description="PrestaShop id_carrier -> Odoo delivery.carrier id: the order's Delivery Method "
        "(carrier_id), its shipping line then the delivery line; unlisted: no Delivery Method "
        "(`check --only odoo-sales` lists such carriers)",
    )
    payment_journal_ids: dict[str, int] = Field(
        default_factory=dict,
        description="shop payment method (order_payment.payment_method, e.g. 'Bank transfer') -> Odoo "
        "account.journal id of its payments; unlisted: Odoo's default (the partner's, else the first bank journal)",
    )
    currency_codes: dict[int, str] = Field(
        default_factory=dict,
        description="PrestaShop id_currency -> ISO "
        "code (ps_currency.iso_code): each order then names the pricelist "
        "of its currency; empty: no pricelist sent (one currency; a fresh "
        "Odoo 18's Default pricelist is in USD, `check --only odoo-sales` "
        "warns)",
    )
    pricelist_ids: dict[str, int] = Field(
        default_factory=dict,
        description="ISO currency code -> Odoo pricelist id for that currency's orders; unset: found by currency",
    )
    confirm_states: tuple[str, ...] = Field(
        default=DEFAULT_CONFIRM_STATES, description="canonical order states that confirm the sale order"
    )
    cancel_states: tuple[str, ...] = Field(
        default=DEFAULT_CANCEL_STATES, description="canonical order states that cancel it"
    )
    match_customers_by_email: bool = Field(
        default=True,
        description="shop customers of one e-mail join one partner (guest checkouts; through archived alias partners)",
    )
    tax_ids: dict[str, int] = Field(
        default_factory=dict,
        description="shop tax rate (percent, '23') -> Odoo "
        "account.tax id for lines sent tax excluded; unmapped: looked up among "
        "the ERP's percent sale taxes",
    )
    tax_ids_included: dict[str, int] = Field(default_factory=dict, description="the same for lines sent tax included")
    price_digits: int = Field(default=2, description="Odoo's 'Product Price' decimal precision")
    country_ids: dict[int, int] = Field(
        default_factory=dict, description="PrestaShop id_country -> Odoo res.country id"
    )
    pricelist_groups: dict[int, int] = Field(
        default_factory=dict,
        description="Odoo pricelist id -> shop id_group (0: every customer); items of other pricelists are not synced",
    )
    customer_groups: Literal["tags", "pricelist", "off"] = Field(
        default="tags",
        description="what a shop customer group is in Odoo: tags = a partner tag (res.partner.category) "
        "of the group's name, found by name or created; pricelist = the pricelist mapped to the "
        "group in pricelist_groups (an unmapped group is acked as not synced); off = acked as not synced",
    )


class SandboxSettings(Frozen):
    """The API twins of the embedded sandbox (``prestasync sandbox up``)."""

    host: str = Field(default="127.0.0.1", description="where the twins listen")
    prestashop_port: int = Field(default=8800, description="the PrestaShop twin")
    odoo_port: int = Field(default=8069, description="the Odoo twin")
    odoo_version: str = Field(default="18.0", description="the Odoo version the twin answers as (19.0: JSON-2)")
    odoo_login: str = Field(default="prestasync", description="the integration user of the Odoo seed")
    odoo_user_id: int = Field(default=6, description="its res_users id")


class SinkWorkerSettings(Frozen):
    """One sink worker (``prestasync run sink <system>``); its command-line options override these."""

    metrics_port: int = Field(default=0, description="/metrics and /health (0: off)")
    concurrency: int = Field(default=8, description="commands in flight (distinct keys)")
    batch_size: int = Field(default=50, description="commands per batch API call")
    max_attempts: int = Field(default=5, description="calls of a failing command before its partition pauses")
    pause_seconds: float = Field(default=30.0, description="how long a partition waits after its retries ran out")


class OdooSinkWorker(SinkWorkerSettings):
    metrics_port: int = Field(default=9309, description="/metrics and /health (0: off)")


class PrestaShopSinkWorker(SinkWorkerSettings):
    metrics_port: int = Field(default=9310, description="/metrics and /health (0: off)")


class SinksSettings(Frozen):
    """The sink workers, one per target system."""

    odoo: OdooSinkWorker = OdooSinkWorker()
    prestashop: PrestaShopSinkWorker = PrestaShopSinkWorker()

    def worker(self, system: str) -> SinkWorkerSettings:
        found = getattr(self, system, None)
        if not isinstance(found, SinkWorkerSettings):
            raise ValueError(f"no sink worker settings for {system!r}")
        return found
