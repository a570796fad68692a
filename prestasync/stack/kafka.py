"""Kafka 4.x (KRaft, one combined broker+controller node) and its jars, assembled by Maven."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from kernel.errors import StackError
from kernel.procs import ManagedProcess, port_open, require_command, run, run_lines, wait_until
from kernel.settings import REPO_ROOT, Settings

POM = REPO_ROOT / "connect" / "pom.xml"


def lib_dir(settings: Settings) -> Path:
    return settings.home / "lib"


def plugins_dir(settings: Settings) -> Path:
    return settings.home / "plugins"


def check_java() -> str:
    java = require_command("java", "install a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless)")
    out = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    match = re.search(r'version "(\d+)', out)
    if match is None or int(match.group(1)) < 17:
        raise StackError(
            f"Kafka 4 needs Java 17 or newer; found: {out.splitlines()[0] if out else '?'}",
            "install openjdk-17 and put it first on PATH",
        )
    return java


class DownloadProgress:
    """Counts the artifacts and bytes Maven reports downloaded ("Downloaded from central: URL (12 kB at ...)")."""

    SIZE = re.compile(r"^\[INFO\] Downloaded from \S+: \S+ \(([\d.,]+) (B|kB|KB|MB|GB)")
    UNITS: ClassVar[dict[str, float]] = {"B": 1, "kB": 1e3, "KB": 1e3, "MB": 1e6, "GB": 1e9}

    def __init__(self, report: Callable[[str], None]) -> None:
        self.report = report
        self.artifacts = 0
        self.bytes = 0.0

    def line(self, text: str) -> None:
        match = self.SIZE.match(text)
        if match is None:
            return
        self.artifacts += 1
        self.bytes += float(match.group(1).replace(",", "")) * self.UNITS[match.group(2)]
        self.report(f"{self.artifacts} files, {self.bytes / 1e6:.1f} MB downloaded (first start only)")


def ensure_jars(settings: Settings, progress: Callable[[str], None] = lambda _: None) -> bool:
    """Assemble lib/ and plugins/ from Maven Central once; later starts need no network.

    Returns True when the jars were (re)assembled, so running JVMs must restart to load them.
    ``progress`` is told the files and bytes downloaded so far.
    """
    stamp = lib_dir(settings) / ".pom.sha256"
    digest = hashlib.sha256(POM.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest and any(plugins_dir(settings).glob("*/*.jar")):
        return False
    mvn = require_command("mvn", "install Maven (Debian: apt-get install maven)")
    shutil.rmtree(lib_dir(settings), ignore_errors=True)
    shutil.rmtree(plugins_dir(settings), ignore_errors=True)
    argv = [
        mvn,
        "-B",
        "-f",
        str(POM),
        "package",
        f"-Dstack.lib={lib_dir(settings)}",
        f"-Dstack.plugins={plugins_dir(settings)}",
        f"-Dmaven.repo.local={settings.cache / 'm2'}",
    ]
    try:
        run_lines(
            argv, "Maven (assembling Kafka, Connect and Debezium jars)", DownloadProgress(progress).line, timeout=1200
        )
    except StackError as exc:
        raise StackError(
            str(exc).split("\n  hint:")[0],
            "Maven Central must be reachable for the first start (https://repo.maven.apache.org); "
            f"downloads are cached in {settings.cache / 'm2'} for later offline starts",
        ) from exc
    stamp.write_text(digest)
    return True


def classpath(settings: Settings) -> str:
    return f"{lib_dir(settings)}/*"


def _log4j_config(settings: Settings, name: str) -> Path:
    path = settings.home / "conf" / f"log4j2-{name}.properties"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "status = warn\n"
        "appender.out.type = Console\nappender.out.name = STDOUT\n"
        "appender.out.layout.type = PatternLayout\n"
        "appender.out.layout.pattern = [%d] %p %m (%c)%n\n"
        "rootLogger.level = INFO\nrootLogger.appenderRef.out.ref = STDOUT\n"
        "logger.kafka.name = org.apache.kafka\nlogger.kafka.level = WARN\n"
        "logger.state.name = state.change.logger\nlogger.state.level = WARN\n"
        "logger.connect.name = org.apache.kafka.connect.runtime\nlogger.connect.level = INFO\n"
    )
    return path


def broker_properties(settings: Settings) -> str:
    host, port = settings.kafka.bootstrap.split(":")
    ctrl = settings.kafka.controller_port
    return (
        "process.roles=broker,controller\n"
        "node.id=1\n"
        f"controller.quorum.bootstrap.servers={host}:{ctrl}\n"
        f"listeners=PLAINTEXT://{host}:{port},CONTROLLER://{host}:{ctrl}\n"
        f"advertised.listeners=PLAINTEXT://{host}:{port},CONTROLLER://{host}:{ctrl}\n"
        "controller.listener.names=CONTROLLER\n"
        "inter.broker.listener.name=PLAINTEXT\n"
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT\n"
        f"log.dirs={settings.home / 'kafka' / 'data'}\n"
        "num.partitions=1\n"
        "default.replication.factor=1\n"
        # one broker: every internal topic must ask for replication factor 1
        "offsets.topic.replication.factor=1\n"
        "transaction.state.log.replication.factor=1\n"
        "transaction.state.log.min.isr=1\n"
        "share.coordinator.state.topic.replication.factor=1\n"
        "share.coordinator.state.topic.min.isr=1\n"
        "group.initial.rebalance.delay.ms=0\n"
        "auto.create.topics.enable=true\n"
        "log.retention.hours=168\n"
    )


def new_cluster_id() -> str:
    """Base64url of a random UUID, as `kafka-storage random-uuid` prints it: like Kafka's Uuid.randomUuid,
    never one starting with "-" (a command line would read it as an option)."""
    import base64

    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


def broker_process(settings: Settings) -> ManagedProcess:
    return ManagedProcess("kafka", settings.home / "run", settings.logs_dir)


def _ports(settings: Settings) -> list[int]:
    return [int(settings.kafka.bootstrap.split(":")[1]), settings.kafka.controller_port]


def ensure_broker(settings: Settings) -> None:
    java = check_java()
    proc = broker_process(settings)
    if proc.running():
        return
    for port in _ports(settings):
        if port_open(port):
            raise StackError(
                f"port {port} is already taken by another process (not prestasync's Kafka)",
                f"stop it (see `ss -ltnp 'sport = :{port}'`) or change kafka ports in the config",
            )
    conf_dir = settings.home / "kafka"
    conf_dir.mkdir(parents=True, exist_ok=True)
    props = conf_dir / "server.properties"
    props.write_text(broker_properties(settings))
    cluster_id_file = conf_dir / "cluster.id"
    if not cluster_id_file.exists():
        cluster_id_file.write_text(new_cluster_id())
    # `--cluster-id=`: an id written by an older version may start with "-", which argparse takes for an option
    run(
        [
            java,
            "-cp",
            classpath(settings),
            "kafka.tools.StorageTool",
            "format",
            "--standalone",
            "--ignore-formatted",
            f"--cluster-id={cluster_id_file.read_text().strip()}",
            "-c",
            str(props),
        ],
        "formatting Kafka storage (kafka.tools.StorageTool)",
        timeout=120,
    )
    proc.start(
        [
            java,
            f"-Xms{settings.kafka.broker_heap}",
            f"-Xmx{settings.kafka.broker_heap}",
            "-XX:+UseG1GC",
            f"-Dlog4j2.configurationFile={_log4j_config(settings, 'kafka')}",
            f"-Dkafka.logs.dir={settings.logs_dir}",
            "-cp",
            classpath(settings),
            "kafka.Kafka",
            str(props),
        ]
    )
    try:
        wait_until(lambda: port_open(_ports(settings)[0]) or not proc.running(), 90, "Kafka broker port")
    except StackError as exc:
        raise StackError(f"{exc}\n--- {proc.log_file} ---\n{proc.log_tail()}") from exc
    if not proc.running():
        raise StackError(f"the Kafka broker exited at start\n--- {proc.log_file} ---\n{proc.log_tail()}")
