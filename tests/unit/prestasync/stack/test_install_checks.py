"""The install checks look for what the stack runs (Debian's services), not for a server binary."""

from __future__ import annotations

from pathlib import Path

import pytest

from prestasync.stack import mariadb

pytestmark = pytest.mark.unit


def test_a_server_binary_without_the_service_is_not_an_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """mariadb-server-core alone (what the real-PrestaShop script installs) has /usr/sbin/mariadbd but no
    `service mariadb`: `stack up` must install mariadb-server, not fail at "unrecognized service"."""
    installed: list[tuple[str, ...]] = []
    monkeypatch.setattr(mariadb, "SERVICE_SCRIPT", tmp_path / "init.d" / "mariadb")  # absent
    monkeypatch.setattr(mariadb.shutil, "which", lambda name: f"/usr/bin/{name}")  # binaries all there
    monkeypatch.setattr(mariadb, "_apt_install", lambda *packages: installed.append(packages))
    mariadb.ensure_installed()
    assert installed == [("mariadb-server", "mariadb-client")]


def test_the_service_and_client_present_install_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "mariadb"
    script.write_text("#!/bin/sh\n")
    installed: list[tuple[str, ...]] = []
    monkeypatch.setattr(mariadb, "SERVICE_SCRIPT", script)
    monkeypatch.setattr(mariadb.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(mariadb, "_apt_install", lambda *packages: installed.append(packages))
    mariadb.ensure_installed()
    assert installed == []
