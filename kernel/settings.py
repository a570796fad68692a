"""Settings: one tree, from one YAML file plus environment overrides, frozen, secrets never in it.

Precedence (highest first): environment variables ``PRESTASYNC_<SECTION>__<FIELD>`` (deeper levels
add ``__<FIELD>``: ``PRESTASYNC_SINKS__ODOO__METRICS_PORT``; top-level fields ``PRESTASYNC_<FIELD>``,
e.g. ``PRESTASYNC_MODE=attach``), the YAML file named by ``PRESTASYNC_CONFIG`` (default
``prestasync.yaml`` in the working directory, optional), then the defaults, which describe the
embedded stack. Every key is listed in ``docs/SETTINGS.md``, generated from these models
(``python -m kernel.settings_doc``; a unit test keeps the page and the models equal).
Secrets are never values of the tree: a ``*_file`` field names the file that holds one (mode 0600).
Generated ones (capture passwords, the sandbox's keys) live under ``<home>/secrets``; they reach
Kafka Connect through its config providers and never appear in connector JSON or logs.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from kernel.errors import StackError
from kernel.order_states import OrderStateMaps
from kernel.settings_lookup import StoreStockSettings
from kernel.settings_serve import ServedWorker, ServeSettings
from kernel.settings_sync import EntityOwnership, StreamsSettings
from kernel.settings_systems import (
    ErpSettings,
    KafkaSettings,
    MariaDbSettings,
    PostgresSettings,
    SandboxSettings,
    ShopSettings,
    SinksSettings,
    SinkWorkerSettings,
)

__all__ = [
    "REPO_ROOT",
    "EntityOwnership",
    "ErpSettings",
    "KafkaSettings",
    "MariaDbSettings",
    "PostgresSettings",
    "SandboxSettings",
    "ServeSettings",
    "ServedWorker",
    "Settings",
    "ShopSettings",
    "SinkWorkerSettings",
    "SinksSettings",
    "StoreStockSettings",
    "StreamsSettings",
    "ensure_secret_file",
    "get_settings",
    "read_secret_file",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
# the sinks' variables before the one tree (PRESTASYNC_ODOO_SINK_<FIELD> is erp.<field>)
_RETIRED_ODOO = "PRESTASYNC_ODOO_SINK_"
_RETIRED = {
    "PRESTASYNC_SINK_PRESTASHOP_URL": "shop.api_url",
    "PRESTASYNC_SINK_PRESTASHOP_VERSION": "shop.api_version",
    "PRESTASYNC_METRICS_PORT": "sinks.<system>.metrics_port",
}
# secret-holding fields: their files' contents are masked in every log line (kernel.logs)
_SECRET_FIELD_SUFFIXES = ("_password_file", "_key_file", "ssl_keyfile")


class Settings(BaseSettings):
    """Everything configurable. Frozen: build a new one with ``model_copy(update=...)``."""

    model_config = SettingsConfigDict(env_prefix="PRESTASYNC_", env_nested_delimiter="__", frozen=True, extra="forbid")

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
    shop: ShopSettings = ShopSettings()
    erp: ErpSettings = ErpSettings()
    sandbox: SandboxSettings = SandboxSettings()
    sinks: SinksSettings = SinksSettings()
    streams: StreamsSettings = StreamsSettings()
    serve: ServeSettings = ServeSettings()
    store_stock: StoreStockSettings = StoreStockSettings()
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

    @model_validator(mode="before")
    @classmethod
    def _no_retired_variables(cls, data: Any) -> Any:
        """The sinks' old variables would now be ignored in silence (a sink talking to the sandbox's
        URL instead of the merchant's): refuse them, naming the key that replaced each."""
        found = {
            name: _RETIRED[name] if name in _RETIRED else f"erp.{name[len(_RETIRED_ODOO) :].lower()}"
            for name in os.environ
            if name in _RETIRED or name.startswith(_RETIRED_ODOO)
        }
        if found:
            raise ValueError(
                "retired environment variables (one grammar now, PRESTASYNC_<SECTION>__<FIELD>, "
                "docs/SETTINGS.md): " + ", ".join(f"{old} -> {new}" for old, new in sorted(found.items()))
            )
        return data

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
            raise StackError(
                f"no password file {path} for the {system} capture user",
                f"write the password of {system}.capture_user there (mode 0600), or run "
                f"`prestasync provision --print-sql` once: it generates one",
            )
        return SecretStr(ensure_secret_file(path))

    def secret(self, name: str, generate: Callable[[], str] | None = None) -> SecretStr:
        """Read (creating on first use, with ``generate`` if given) the secret file ``<home>/secrets/<name>``."""
        return SecretStr(ensure_secret_file(self.secrets_dir / name, generate))

    # -- the systems' endpoints, defaults filled from the sandbox -----------------------------------
    @property
    def shop_api_url(self) -> str:
        return (self.shop.api_url or f"http://{self.sandbox.host}:{self.sandbox.prestashop_port}/api").rstrip("/")

    @property
    def shop_api_key_file(self) -> Path:
        return self.shop.api_key_file or self.secrets_dir / "prestashop_webservice.key"

    @property
    def erp_url(self) -> str:
        return (self.erp.url or f"http://{self.sandbox.host}:{self.sandbox.odoo_port}").rstrip("/")

    @property
    def erp_database(self) -> str:
        return self.erp.database or self.postgres.database

    @property
    def erp_login(self) -> str:
        return self.erp.login or self.sandbox.odoo_login

    @property
    def erp_api_key_file(self) -> Path:
        return self.erp.api_key_file or self.secrets_dir / "odoo_api.key"

    def secret_files(self) -> list[Path]:
        """Every file that holds a secret of this deployment: ``<home>/secrets/*`` and each configured
        ``*_password_file`` / ``*_key_file`` / ``ssl_keyfile`` (what the logs must mask)."""
        found = sorted(p for p in self.secrets_dir.iterdir() if p.is_file()) if self.secrets_dir.is_dir() else []
        found += [path for name, path in _file_fields(self) if name.endswith(_SECRET_FIELD_SUFFIXES)]
        found += [self.shop_api_key_file, self.erp_api_key_file]
        return list(dict.fromkeys(p for p in found if p.is_file()))


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


def read_secret_file(path: Path, what: str) -> SecretStr:
    """The secret in ``path`` (stripped), masked in every repr; a missing or empty file is a
    :class:`StackError` naming the file and the setting."""
    try:
        value = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise StackError(
            f"no {what} in {path}: {exc.strerror}",
            "write it there (mode 0600) or point the setting at the file that holds it",
        ) from exc
    if not value:
        raise StackError(f"{path} ({what}) is empty")
    return SecretStr(value)


def _file_fields(model: BaseModel, prefix: str = "") -> Iterator[tuple[str, Path]]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _file_fields(value, f"{prefix}{name}.")
        elif isinstance(value, Path) and name.endswith(("_file", "file")):
            yield f"{prefix}{name}", value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
