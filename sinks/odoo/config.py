"""Configuration of the Odoo sink: where Odoo is, how to log in, and business choices.

Defaults describe the embedded sandbox (the Odoo twin of ``prestasync sandbox up`` over the
configured PostgreSQL database, with the integration user's API key from
``<home>/secrets/odoo_api.key``). Every field can be overridden from the environment as
``PRESTASYNC_ODOO_SINK_<FIELD>`` (e.g. ``PRESTASYNC_ODOO_SINK_URL``); the API key itself is only
ever read from a file (``api_key_file``), never from the environment or a log.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from prestasync.config import Settings

# Canonical order states (streams' state maps) -> what the sink does to the sale.order.
DEFAULT_CONFIRM_STATES = ("paid", "processing", "shipped", "delivered", "backorder_paid", "confirmed")
DEFAULT_CANCEL_STATES = ("cancelled",)


class OdooSinkConfig(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PRESTASYNC_ODOO_SINK_", frozen=True, extra="forbid")

    url: str | None = Field(default=None, description="base URL; default http://<sandbox.host>:<sandbox.odoo_port>")
    database: str | None = Field(default=None, description="default: postgres.database")
    login: str | None = Field(default=None, description="default: sandbox.odoo_login")
    api_key_file: Path | None = Field(default=None, description="default: <home>/secrets/odoo_api.key")
    protocol: str = Field(default="auto", pattern="^(auto|jsonrpc|json2)$",
                          description="auto: JSON-2 from 19.0, JSON-RPC before")
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    lang: str = "en_US"
    # default_codes of the service products for shipping and voucher lines (the sandbox catalogue has
    # them); an order needing one that the ERP lacks is dead-lettered, never imported with a wrong total
    shipping_product_code: str | None = "SHIP-WEB"
    discount_product_code: str | None = "DISC-WEB"
    # PrestaShop id_carrier -> default_code of that carrier's shipping service product (else the one above)
    shipping_product_codes: dict[int, str] = Field(default_factory=dict)
    # PrestaShop id_currency -> ISO code (ps_currency.iso_code): each order then names the pricelist of
    # its currency (pricelist_ids ISO -> id, else found by currency); empty: no pricelist sent (one currency)
    currency_codes: dict[int, str] = Field(default_factory=dict)
    pricelist_ids: dict[str, int] = Field(default_factory=dict)
    confirm_states: tuple[str, ...] = DEFAULT_CONFIRM_STATES
    cancel_states: tuple[str, ...] = DEFAULT_CANCEL_STATES
    # shop customers of one e-mail (every guest checkout is a new shop customer; a guest who registers
    # is another) join one partner: the first one's, through archived alias partners (sinks.odoo.aliases)
    match_customers_by_email: bool = True
    # shop tax rate (percent, "23" or "23.000") -> Odoo account.tax id, for lines sent tax excluded /
    # included; a rate not mapped is looked up among the ERP's percent sale taxes
    tax_ids: dict[str, int] = Field(default_factory=dict)
    tax_ids_included: dict[str, int] = Field(default_factory=dict)
    price_digits: int = Field(default=2, description="Odoo's 'Product Price' decimal precision")
    country_ids: dict[int, int] = Field(default_factory=dict,
                                        description="PrestaShop id_country -> Odoo res.country id")


class ResolvedOdooConfig:
    """The config with every default filled from :class:`Settings`, and the API key loaded."""

    def __init__(self, config: OdooSinkConfig, settings: Settings) -> None:
        self.options = config
        self.url = (config.url or f"http://{settings.sandbox.host}:{settings.sandbox.odoo_port}").rstrip("/")
        self.database = config.database or settings.postgres.database
        self.login = config.login or settings.sandbox.odoo_login
        self.order_states = settings.order_states
        key_file = config.api_key_file or settings.secrets_dir / "odoo_api.key"
        self.api_key = SecretStr(key_file.read_text(encoding="utf-8").strip())

    def __repr__(self) -> str:  # never show the key
        return f"ResolvedOdooConfig(url={self.url!r}, database={self.database!r}, login={self.login!r})"


def load_config(settings: Settings, **overrides: object) -> ResolvedOdooConfig:
    return ResolvedOdooConfig(OdooSinkConfig(**overrides), settings)  # type: ignore[arg-type]
