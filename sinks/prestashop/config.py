"""What the PrestaShop sink needs to know about its shop: where, which key, and the shop's ids.

Defaults describe the sandbox twin (``prestasync sandbox up``) and a stock PrestaShop install
(shop 1, language 1, the install's order states). ``PRESTASYNC_SINK_PRESTASHOP_URL`` points the
sink at another shop; the key is read from ``<home>/secrets/prestashop_webservice.key`` (mode
0600), never from the environment or logs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from types import MappingProxyType

from kernel.order_states import OrderStateMaps
from kernel.settings import Settings
from kernel.shop_time import zone

KEY_SECRET = "prestashop_webservice.key"  # noqa: S105 - a file name, not a secret
URL_ENV = "PRESTASYNC_SINK_PRESTASHOP_URL"
VERSION_ENV = "PRESTASYNC_SINK_PRESTASHOP_VERSION"

class MissingKey(RuntimeError):
    """No webservice key is configured: the sink must not start (every call would be refused)."""


@dataclass(frozen=True)
class PrestaShopSinkConfig:
    api_url: str  # ``http://shop/api``
    api_key: str = field(repr=False)
    shop_id: int = 1
    language_ids: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({"en_US": 1}))
    # canonical code -> id_order_state written (``to_shop``), id -> code read back (``shop``)
    order_states: OrderStateMaps = field(default_factory=OrderStateMaps)
    # PrestaShop DATETIME columns hold the shop's local wall-clock time (PS_TIMEZONE, read at start).
    shop_timezone: tzinfo = UTC
    # The category a product the sink creates is filed in (PS_HOME_CATEGORY of a stock install).
    default_category_id: int = 2
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    # ``sendemail=1`` on order_histories / order_carriers writes: the shop mails the customer.
    send_emails: bool = False
    # Force the protocol version (e.g. behind a proxy that strips PSWS-Version); None: ask the server.
    version: str | None = None


def config_from_settings(settings: Settings) -> PrestaShopSinkConfig:
    """The sink's configuration for these settings; raises :class:`MissingKey` without a key."""
    key_file = settings.secrets_dir / KEY_SECRET
    if not key_file.is_file():
        raise MissingKey(f"no PrestaShop webservice key in {key_file}: run `prestasync sandbox up` "
                         "or write the shop's key there (mode 0600)")
    key = key_file.read_text(encoding="utf-8").strip()
    if not key:
        raise MissingKey(f"{key_file} is empty")
    sandbox = settings.sandbox
    url = os.environ.get(URL_ENV) or f"http://{sandbox.host}:{sandbox.prestashop_port}/api"
    return PrestaShopSinkConfig(api_url=url, api_key=key, version=os.environ.get(VERSION_ENV) or None,
                                order_states=settings.order_states,
                                shop_timezone=zone(settings.shop.timezone) if settings.shop.timezone else UTC)
