"""Bad situations give a StackError a person can act on, not a traceback."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from kernel.errors import StackError
from kernel.settings import KafkaSettings, Settings
from prestasync.stack import kafka, mariadb

pytestmark = pytest.mark.unit


def test_java_missing_is_named_with_a_hint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(StackError) as err:
        kafka.check_java()
    assert "`java` was not found" in str(err.value)
    assert "Java 17" in err.value.hint


def test_old_java_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "java"
    fake.write_text("#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(StackError, match="Java 17 or newer"):
        kafka.check_java()


def test_port_taken_by_a_stranger_is_refused(tmp_path: Path) -> None:
    with socket.socket() as stranger:
        stranger.bind(("127.0.0.1", 0))
        stranger.listen()
        port = stranger.getsockname()[1]
        with socket.socket() as other:
            other.bind(("127.0.0.1", 0))
            free = other.getsockname()[1]
        settings = Settings(home=tmp_path, kafka=KafkaSettings(bootstrap=f"127.0.0.1:{port}", controller_port=free))
        with pytest.raises(StackError) as err:
            kafka.ensure_broker(settings)
    assert f"port {port} is already taken" in str(err.value)


def test_cdc_problems_lists_each_wrong_binlog_setting() -> None:
    good = {"log_bin": "ON", "binlog_format": "ROW", "binlog_row_image": "FULL", "log_bin_compress": "OFF"}
    assert mariadb.cdc_problems(good) == {}
    bad = {**good, "binlog_format": "MIXED", "binlog_row_image": "minimal"}
    del bad["log_bin"]
    assert mariadb.cdc_problems(bad) == {"binlog_format": "MIXED", "binlog_row_image": "MINIMAL", "log_bin": "(unset)"}


def test_maven_unreachable_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "mvn"
    # what Maven prints when it cannot reach the repository
    fake.write_text(
        "#!/bin/sh\necho '[ERROR] Failed to execute goal: Could not transfer artifact "
        "org.apache.kafka:kafka_2.13:pom:4.1.1 from/to central: repo.maven.apache.org: "
        "Temporary failure in name resolution'\nexit 1\n"
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    settings = Settings(home=tmp_path / "home", cache=tmp_path / "cache")
    with pytest.raises(StackError) as err:
        kafka.ensure_jars(settings)
    assert "Could not transfer artifact" in str(err.value)
    assert "Maven Central must be reachable" in err.value.hint
