"""A local MariaDB just installed and not started yet (Debian's policy-rc.d keeps it stopped) is "not
running", so ``stack up`` starts it: not an error about an admin password file no stack has written."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel.settings import get_settings
from prestasync.stack import mariadb

pytestmark = pytest.mark.unit


def test_a_local_server_without_its_socket_is_not_running_yet(tmp_path: Path) -> None:
    base = get_settings()
    settings = base.model_copy(
        update={
            "home": tmp_path,
            "mariadb": base.mariadb.model_copy(update={"host": "127.0.0.1", "socket": str(tmp_path / "none.sock")}),
        }
    )
    assert not (settings.secrets_dir / "mariadb_admin.password").exists()
    assert mariadb._ping(settings) is False
