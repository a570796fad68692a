"""Settings: one YAML file plus environment overrides, frozen, secrets masked.

Precedence (highest first): environment variables ``PRESTASYNC_<SECTION>__<FIELD>`` (top-level
fields: ``PRESTASYNC_<FIELD>``, e.g. ``PRESTASYNC_MODE=attach``),
the YAML file named by ``PRESTASYNC_CONFIG`` (default ``prestasync.yaml`` in the working
directory, optional), then the defaults below, which describe the embedded stack.
Passwords are never stored here: they live in files under ``<home>/secrets`` (mode 0600),
generated on first ``stack up``, so they reach Kafka Connect through its FileConfigProvider
and never appear in connector JSON or logs.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from prestasync.order_states import OrderStateMaps

if TYPE_CHECKING:
    from schemas.codec import Codec

REPO_ROOT = Path(__file__).resolve().parent.parent


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class KafkaSettings(_Frozen):
    bootstrap: str = "127.0.0.1:9092"
    controller_port: int = 9093
    connect_url: str = "http://127.0.0.1:8083"
    broker_heap: str = "512m"
    connect_heap: str = "512m"
    local: bool = Field(default=True, description="prestasync starts Kafka and Connect on this machine; "
                        "false: use the existing cluster at bootstrap / connect_url")
    topic_prefix_shop: str = Field(default="shop", description="Debezium topic.prefix of the shop connector; "
                                   "another value also renames the connector (prestashop-mariadb-<prefix>)")
    topic_prefix_erp: str = Field(default="erp", description="Debezium topic.prefix of the ERP connector; "
                                  "another value also renames the connector (odoo-postgres-<prefix>)")
    schema_registry_url: str | None = Field(
        default=None,
        description="Confluent-compatible schema registry (Apicurio, Karapace, Confluent); "
        "unset: canonical records use Avro single-object encoding",
    )


class MariaDbSettings(_Frozen):
    host: str = "127.0.0.1"
    port: int = 3306
    socket: str = "/run/mysqld/mysqld.sock"
    database: str = "prestashop"
    table_prefix: str = "ps_"
    admin_user: str = "root"
    client_host: str = Field(default="127.0.0.1", description="host part of the created users ('%' in containers)")
    app_user: str = "prestashop"
    capture_user: str = "debezium"
    capture_password_file: Path | None = Field(
        default=None, description="the capture user's password; default <home>/secrets/mariadb_capture.password")
    signal_table: str = Field(default="debezium_signal", description="Debezium's signal table, in the shop database")
    server_id: int = Field(default=184054, description="the binlog client id of the connector (unique per server)")


class ShopSettings(_Frozen):
    timezone: str | None = Field(
        default=None, description="the shop's PS_TIMEZONE (its DATETIMEs are that zone's wall clock); "
        "unset: read from the shop's configuration table at start, else UTC")


class PostgresSettings(_Frozen):
    host: str = "127.0.0.1"
    port: int = 5432
    database: str = "odoo"
    app_user: str = "odoo"
    capture_user: str = "debezium"
    capture_password_file: Path | None = Field(
        default=None, description="the capture role's password; default <home>/secrets/postgres_capture.password")
    signal_table: str = Field(default="debezium_signal", description="Debezium's signal table, schema public")
    admin_user: str = "prestasync_admin"
    publication: str = "prestasync_odoo"
    slot: str = "prestasync_odoo"


class SandboxSettings(_Frozen):
    host: str = "127.0.0.1"
    prestashop_port: int = 8800
    odoo_port: int = 8069
    odoo_version: str = "18.0"
    odoo_login: str = "prestasync"
    odoo_user_id: int = Field(default=6, description="the integration user of the Odoo seed")


SyncedSystem = Literal["prestashop", "odoo"]


class EntityOwnership(_Frozen):
    """Who owns an entity's synced fields (DESIGN §2.4): ``creator`` creates it in the other
    system and owns every field not listed in ``owners``; ``create_only`` fields are sent when
    the other system's row is created and never synced afterwards."""

    creator: SyncedSystem
    owners: dict[str, SyncedSystem] = Field(default_factory=dict)
    create_only: tuple[str, ...] = ()
    # field -> values a non-owner's change to which is sent to the owner as a request (e.g. a shop
    # cancellation asks the ERP to cancel), instead of being drift; the owner's answer comes back
    forward: dict[str, tuple[str, ...]] = Field(default_factory=dict)
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
        # Shop payments (order_payment -> PaymentCapture) are not synced by default: the Odoo sink has no
        # payment handler yet, and each command would stand in the DLQ as NoHandler (#13). Opt in with
        # streams.ownership.payment_capture: {creator: prestashop} once the target registers payments.
        # An order's state travels with its creation only; afterwards the order_status entity syncs
        # it: the ERP owns it (confirmed, shipped, cancelled flow to the shop), a shop payment or
        # cancellation is forwarded to the ERP, and other shop-side states are left alone.
        "order": EntityOwnership(creator=shop, owners={"state": erp}, create_only=("state",)),
        "order_status": EntityOwnership(creator=erp, forward={"state": ("paid", "cancelled")}, reassert=False),
    }


class StreamsSettings(_Frozen):
    """The Faust stream processors (``prestasync run streams``) and their sync policy."""

    app_id: str = "prestasync-streams"
    topic_suffix: str = Field(default="", description="appended to prestasync's own topics (tests)")
    store: str = Field(default="rocksdb://", description="Faust table store, changelogged to Kafka: "
                       "rocksdb:// keeps the tables on disk (<home>/streams/<app id>-data), so a restart "
                       "reads only the changelog's tail; memory:// replays the whole changelog")
    static_membership: bool = Field(default=True, description="a fixed group member id per app id and "
                                    "host (Kafka static membership): a restarted worker takes its "
                                    "partitions back at once instead of waiting out the dead one's session")
    partitions: int = Field(default=1, description="partitions of prestasync's own topics and tables")
    start_from: Literal["earliest", "latest"] = Field(
        default="earliest", description="raw topics a new app id never committed: from their start, "
        "or from their end when the worker starts (tests; a long history is skipped)")
    metrics_port: int = Field(default=9301, description="/metrics and /health (0: any free port)")
    session_timeout_s: float = Field(default=60.0, description="Kafka group session: how long a dead "
                                     "worker's partitions stay assigned before another takes them")
    integration_uid: int = Field(default=6, description="Odoo res_users id of the integration user")
    breaker_flips: int = Field(default=10, description="commands per entity tolerated in the window")
    breaker_window_s: float = 60.0
    assembly_timeout_s: float = 120.0
    pending_timeout_s: float = Field(default=600.0, description="forget an unmatched pending write")
    inflight_hold_s: float = Field(default=30.0, description="keep an acked order in flight until "
                                   "the ERP's stock shows it, at most this long")
    reassert: bool = Field(default=True, description="write the owner's value back over drift")
    web_locations: tuple[int, ...] = Field(default=(8,), description="ERP stock locations of the web shop")
    store_locations: tuple[int, ...] = Field(default=(10,), description="ERP stock locations of stores")
    ownership: dict[str, EntityOwnership] = Field(default_factory=_default_ownership)


class Settings(BaseSettings):
    """Everything configurable. Frozen: build a new one with ``model_copy(update=...)``."""

    model_config = SettingsConfigDict(
        env_prefix="PRESTASYNC_", env_nested_delimiter="__", frozen=True, extra="forbid"
    )

    mode: Literal["embedded", "attach"] = Field(
        default="embedded",
        description="embedded: prestasync installs, configures and starts local servers and creates the "
        "tables and users (the sandbox); attach: existing servers, only read, never reconfigured, restarted "
        "or given users by prestasync (a DBA applies `prestasync provision --print-sql`)",
    )
    home: Path = Field(default=REPO_ROOT / ".stack", description="state, data, logs, secrets")
    cache: Path = Field(default=REPO_ROOT / ".cache", description="Maven downloads")
    kafka: KafkaSettings = KafkaSettings()
    mariadb: MariaDbSettings = MariaDbSettings()
    postgres: PostgresSettings = PostgresSettings()
    sandbox: SandboxSettings = SandboxSettings()
    shop: ShopSettings = ShopSettings()
    streams: StreamsSettings = StreamsSettings()
    order_states: OrderStateMaps = OrderStateMaps()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, _YamlSource(settings_cls)

    # -- derived paths -------------------------------------------------------------
    @property
    def secrets_dir(self) -> Path:
        return self.home / "secrets"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def attach(self) -> bool:
        return self.mode == "attach"

    def capture_password_path(self, system: Literal["mariadb", "postgres"]) -> Path:
        configured = self.mariadb.capture_password_file if system == "mariadb" else self.postgres.capture_password_file
        return configured or self.secrets_dir / f"{system}_capture.password"

    def capture_password(self, system: Literal["mariadb", "postgres"], generate: bool = True) -> SecretStr:
        """The capture user's password (its file is created on first use when ``generate``)."""
        path = self.capture_password_path(system)
        if not generate and not path.is_file():
            from prestasync.stack.errors import StackError

            raise StackError(f"no password file {path} for the {system} capture user",
                             f"write the password of {system}.capture_user there (mode 0600), or run "
                             f"`prestasync provision --print-sql` once: it generates one")  # fmt: skip
        return SecretStr(ensure_secret_file(path))

    def secret(self, name: str, generate: Callable[[], str] | None = None) -> SecretStr:
        """Read (creating on first use, with ``generate`` if given) the secret file ``<home>/secrets/<name>``."""
        return SecretStr(ensure_secret_file(self.secrets_dir / name, generate))


class _YamlSource(PydanticBaseSettingsSource):
    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path = Path(os.environ.get("PRESTASYNC_CONFIG", "prestasync.yaml"))
        if not path.is_file():
            return {}
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(loaded, dict):
            raise ValueError(f"{path}: the top level must be a mapping")
        return loaded


def ensure_secret_file(path: Path, generate: Callable[[], str] | None = None) -> str:
    """Return the secret stored at ``path``; generate a random one (0600) if absent."""
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = generate() if generate else secrets.token_urlsafe(24)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value)
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def canonical_codec(settings: Settings | None = None) -> Codec:
    """The codec of canonical records the settings ask for (``kafka.schema_registry_url``).

    With a registry URL: Confluent wire format through that registry; without: Avro
    single-object encoding. Every component calls this, so all of them agree on the framing.
    """
    from schemas.codec import make_codec  # imported here: the CLI loads settings without Avro

    return make_codec((settings or get_settings()).kafka.schema_registry_url)
