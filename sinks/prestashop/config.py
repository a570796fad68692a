"""Configuration of the PrestaShop sink: the ``shop`` section of the settings tree, defaults filled in.

``shop.*`` (YAML, or ``PRESTASYNC_SHOP__<FIELD>``) says where the webservice is, the shop's ids and
languages and its time zone; unset, the endpoint is the sandbox twin (``prestasync sandbox up``) and
the ids those of a stock PrestaShop install (shop 1, language 1). The key is only ever read from
``shop.api_key_file`` (default ``<home>/secrets/prestashop_webservice.key``, mode 0600), never from
the environment, and never shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from types import MappingProxyType

from kernel.errors import StackError
from kernel.order_states import OrderStateMaps
from kernel.settings import Settings, read_secret_file
from kernel.shop_time import zone


class MissingKey(RuntimeError):
    """No webservice key is configured: the sink must not start (every call would be refused)."""


@dataclass(frozen=True)
class PrestaShopSinkConfig:
    api_url: str  # ``http://shop/api``
    api_key: str = field(repr=False)  # never shown
    shop_id: int = 1
    # locale -> id_lang of the shop's languages (shop.languages, inverted)
    language_ids: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({"en_US": 1}))
    # canonical code -> id_order_state written (``to_shop``), id -> code read back (``shop``)
    order_states: OrderStateMaps = field(default_factory=OrderStateMaps)
    # PrestaShop DATETIME columns hold the shop's local wall-clock time (PS_TIMEZONE, read at start).
    shop_timezone: tzinfo = UTC
    # The category a product the sink creates is filed in (PS_HOME_CATEGORY of a stock install).
    default_category_id: int = 2
    # The tax rules group of a product the sink creates (0: none); the shop owns it afterwards.
    tax_rules_group_id: int = 0
    # A combination (or simple-product barcode) whose product is not in the shop yet waits this long.
    parent_wait_s: float = 600.0
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    # After a timed-out POST, wait this long before the retry looks the record up (it may still be written).
    create_grace: float = 60.0
    # ``sendemail=1`` on order_histories / order_carriers writes: the shop mails the customer.
    send_emails: bool = False
    # Force the protocol version (e.g. behind a proxy that strips PSWS-Version); None: ask the server.
    version: str | None = None


def config_from_settings(settings: Settings) -> PrestaShopSinkConfig:
    """The sink's configuration for these settings; raises :class:`MissingKey` without a key."""
    shop = settings.shop
    try:
        key = read_secret_file(settings.shop_api_key_file, "PrestaShop webservice key")
    except StackError as exc:
        raise MissingKey(
            f"{exc} (shop.api_key_file): run `prestasync sandbox up` or write the shop's key there (mode 0600)"
        ) from exc
    return PrestaShopSinkConfig(
        api_url=settings.shop_api_url,
        api_key=key.get_secret_value(),
        shop_id=shop.shop_id,
        language_ids=MappingProxyType({locale: lang for lang, locale in shop.languages.items()}),
        order_states=settings.order_states,
        shop_timezone=zone(shop.timezone) if shop.timezone else UTC,
        default_category_id=shop.default_category_id,
        tax_rules_group_id=shop.tax_rules_group_id,
        parent_wait_s=shop.parent_wait_s,
        connect_timeout=shop.connect_timeout,
        read_timeout=shop.read_timeout,
        create_grace=shop.create_grace,
        send_emails=shop.send_emails,
        version=shop.api_version,
    )
