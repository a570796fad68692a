"""A Kafka broker of the test's own that only speaks SASL_SSL (SCRAM-SHA-512 over TLS) to clients.

A CA and the broker's certificate are generated with openssl into a temporary directory, the broker's
key and certificate go into a PKCS12 keystore, the SCRAM user is written at storage format time
(``StorageTool format --add-scram``), and the broker runs from the stack's jars on its own ports and data
directory; the test stops it by its pid. Inter-broker and controller traffic stay on loopback PLAINTEXT
listeners, which no client is given.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from kernel.procs import port_open

SASL_PORT, INTERNAL_PORT, CONTROLLER_PORT = 49192, 49194, 49193
USER = "prestasync"


def _run(*argv: str) -> None:
    subprocess.run(list(argv), check=True, capture_output=True)


class SecuredBroker:
    def __init__(self, directory: Path, lib_dir: Path) -> None:
        self.dir = directory
        self.lib = lib_dir
        self.password = "scram-" + os.urandom(12).hex()
        self.store_password = "store-" + os.urandom(8).hex()
        self.cafile = directory / "ca.pem"
        self.password_file = directory / "kafka.password"
        self.proc: subprocess.Popen[bytes] | None = None

    def certificates(self) -> None:
        d = self.dir
        _run(
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=prestasync test CA",
            "-keyout",
            str(d / "ca.key"),
            "-out",
            str(self.cafile),
        )
        _run(
            "openssl",
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(d / "broker.key"),
            "-out",
            str(d / "broker.csr"),
        )
        (d / "san.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
        _run(
            "openssl",
            "x509",
            "-req",
            "-in",
            str(d / "broker.csr"),
            "-CA",
            str(self.cafile),
            "-CAkey",
            str(d / "ca.key"),
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            str(d / "san.ext"),
            "-out",
            str(d / "broker.pem"),
        )
        _run(
            "openssl",
            "pkcs12",
            "-export",
            "-in",
            str(d / "broker.pem"),
            "-inkey",
            str(d / "broker.key"),
            "-name",
            "broker",
            "-out",
            str(d / "broker.p12"),
            "-passout",
            f"pass:{self.store_password}",
        )
        self.password_file.write_text(self.password + "\n")
        self.password_file.chmod(0o600)

    def properties(self) -> str:
        host = "127.0.0.1"
        jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required;"
        return (
            "process.roles=broker,controller\nnode.id=1\n"
            f"controller.quorum.bootstrap.servers={host}:{CONTROLLER_PORT}\n"
            f"listeners=SASL_SSL://{host}:{SASL_PORT},INTERNAL://{host}:{INTERNAL_PORT},"
            f"CONTROLLER://{host}:{CONTROLLER_PORT}\n"
            f"advertised.listeners=SASL_SSL://{host}:{SASL_PORT},INTERNAL://{host}:{INTERNAL_PORT}\n"
            "controller.listener.names=CONTROLLER\ninter.broker.listener.name=INTERNAL\n"
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,SASL_SSL:SASL_SSL\n"
            "sasl.enabled.mechanisms=SCRAM-SHA-512\n"
            f"listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config={jaas}\n"
            f"ssl.keystore.type=PKCS12\nssl.keystore.location={self.dir / 'broker.p12'}\n"
            f"ssl.keystore.password={self.store_password}\nssl.key.password={self.store_password}\n"
            f"log.dirs={self.dir / 'data'}\n"
            "offsets.topic.replication.factor=1\ntransaction.state.log.replication.factor=1\n"
            "transaction.state.log.min.isr=1\nshare.coordinator.state.topic.replication.factor=1\n"
            "share.coordinator.state.topic.min.isr=1\ngroup.initial.rebalance.delay.ms=0\n"
        )

    def start(self) -> None:
        java = shutil.which("java") or "java"
        props = self.dir / "server.properties"
        props.write_text(self.properties())
        cp = f"{self.lib}/*"
        scram = f"SCRAM-SHA-512=[name={USER},password={self.password}]"
        _run(
            java,
            "-cp",
            cp,
            "kafka.tools.StorageTool",
            "format",
            "--standalone",
            "--cluster-id=prestasyncSaslTest0001",
            "--add-scram",
            scram,
            "-c",
            str(props),
        )
        log4j = self.dir / "log4j2.properties"
        log4j.write_text(
            "appender.out.type = Console\nappender.out.name = STDOUT\nappender.out.layout.type = PatternLayout\n"
            "rootLogger.level = WARN\nrootLogger.appenderRef.out.ref = STDOUT\n"
        )
        with open(self.dir / "broker.log", "ab") as log:
            self.proc = subprocess.Popen(
                [
                    java,
                    "-Xms256m",
                    "-Xmx256m",
                    f"-Dlog4j2.configurationFile={log4j}",
                    "-cp",
                    cp,
                    "kafka.Kafka",
                    str(props),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not port_open(SASL_PORT):
            if self.proc.poll() is not None:
                raise RuntimeError(f"the SASL_SSL broker exited: {(self.dir / 'broker.log').read_text()[-2000:]}")
            time.sleep(0.5)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None
