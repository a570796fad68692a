"""Settings: one YAML file plus environment overrides, frozen, secrets masked.

Precedence (highest first): environment variables ``PRESTASYNC_<SECTION>__<FIELD>``,
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
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

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
    topic_prefix_shop: str = "shop"
    topic_prefix_erp: str = "erp"
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
    server_id: int = 184054


class PostgresSettings(_Frozen):
    host: str = "127.0.0.1"
    port: int = 5432
    database: str = "odoo"
    app_user: str = "odoo"
    capture_user: str = "debezium"
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


class Settings(BaseSettings):
    """Everything configurable. Frozen: build a new one with ``model_copy(update=...)``."""

    model_config = SettingsConfigDict(
        env_prefix="PRESTASYNC_", env_nested_delimiter="__", frozen=True, extra="forbid"
    )

    home: Path = Field(default=REPO_ROOT / ".stack", description="state, data, logs, secrets")
    cache: Path = Field(default=REPO_ROOT / ".cache", description="Maven downloads")
    kafka: KafkaSettings = KafkaSettings()
    mariadb: MariaDbSettings = MariaDbSettings()
    postgres: PostgresSettings = PostgresSettings()
    sandbox: SandboxSettings = SandboxSettings()

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
