"""Configuration of the Odoo sink: the ``erp`` section of the settings tree, defaults filled in.

``erp.*`` (YAML, or ``PRESTASYNC_ERP__<FIELD>``) says where Odoo is, who logs in and which ERP records
the mapping uses; unset endpoints describe the embedded sandbox (the Odoo twin of ``prestasync
sandbox up`` over ``postgres.database``). The API key is only ever read from ``erp.api_key_file``
(default ``<home>/secrets/odoo_api.key``), never from the environment, and never shown.
"""

from __future__ import annotations

from kernel.settings import ErpSettings, Settings, read_secret_file


class ResolvedOdooConfig:
    """The ``erp`` settings (``options``) with every default filled, and the API key loaded."""

    def __init__(self, settings: Settings) -> None:
        self.options: ErpSettings = settings.erp
        self.url = settings.erp_url
        self.database = settings.erp_database
        self.login = settings.erp_login
        self.order_states = settings.order_states
        self.api_key = read_secret_file(settings.erp_api_key_file, "Odoo API key")

    def __repr__(self) -> str:  # never show the key
        return f"ResolvedOdooConfig(url={self.url!r}, database={self.database!r}, login={self.login!r})"


def load_config(settings: Settings, **overrides: object) -> ResolvedOdooConfig:
    """The sink's configuration; ``overrides`` replace ``erp`` fields (tests, the benchmark's twin)."""
    erp = ErpSettings.model_validate({**settings.erp.model_dump(), **overrides})
    return ResolvedOdooConfig(settings.model_copy(update={"erp": erp}))
