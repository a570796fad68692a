"""The sandbox reset refuses anything but the embedded stack; the jar download reports progress."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel.errors import StackError
from kernel.settings import Settings
from prestasync.stack.kafka import DownloadProgress
from prestasync.stack.reset import check_resettable, write_marker

pytestmark = pytest.mark.unit


def _settings(home: Path, **env: str) -> Settings:
    return Settings(home=home, **env)  # type: ignore[arg-type]


def test_reset_refuses_without_the_marker_stack_up_writes(tmp_path: Path) -> None:
    with pytest.raises(StackError, match="reset only wipes the embedded sandbox"):
        check_resettable(_settings(tmp_path))


def test_reset_accepts_the_stack_it_built(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    write_marker(settings)
    check_resettable(settings)  # raises on refusal


def test_reset_refuses_when_the_settings_now_name_other_servers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_marker(_settings(tmp_path))
    monkeypatch.setenv("PRESTASYNC_MARIADB__HOST", "shop-db.example.com")
    with pytest.raises(StackError, match="other servers"):
        check_resettable(_settings(tmp_path))


def test_reset_refuses_remote_servers_even_with_a_marker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESTASYNC_POSTGRES__HOST", "10.0.0.5")
    settings = _settings(tmp_path)
    write_marker(settings)  # a marker written for remote servers (by hand, or an old version)
    with pytest.raises(StackError, match="only wipes servers on this machine"):
        check_resettable(settings)


def test_download_progress_counts_files_and_bytes_from_maven_lines() -> None:
    seen: list[str] = []
    progress = DownloadProgress(seen.append)
    for line in (
        "[INFO] Scanning for projects...",
        "[INFO] Downloading from central: https://repo.maven.apache.org/maven2/a/b/1/b-1.jar",
        "[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/a/b/1/b-1.jar (1.5 MB at 3.2 MB/s)",
        "[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/a/c/1/c-1.pom (2,048 B at 10 kB/s)",
        "[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/a/d/1/d-1.jar (500 kB at 1 MB/s)",
    ):
        progress.line(line)
    assert progress.artifacts == 3
    assert progress.bytes == pytest.approx(1.5e6 + 2048 + 500e3)
    assert seen[-1].startswith("3 files, 2.0 MB downloaded")
