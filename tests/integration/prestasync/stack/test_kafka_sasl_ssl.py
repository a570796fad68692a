"""Issue #20 item 5: prestasync's Kafka clients against a broker that only takes SASL_SSL (SCRAM-SHA-512
over TLS, a CA of the test's own): `prestasync check` reaches it, a record goes through the producer and
consumer every worker builds (``kernel.kafka_clients``) and the Faust worker's credentials connect too; a
wrong password, a client without TLS and one that does not trust the CA are refused. The broker is the
test's own (ports 49192-49194, a temporary data directory), run from the stack's jars."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kernel import kafka_clients
from kernel.settings import Settings, get_settings
from prestasync.attach.check_kafka import check_kafka
from tests.support.prerequisites import unavailable
from tests.support.secured_kafka import CONTROLLER_PORT, INTERNAL_PORT, SASL_PORT, USER, SecuredBroker

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecuredBroker]:
    from kernel.procs import port_open

    lib = get_settings().home / "lib"
    if not any(lib.glob("kafka-server-*.jar")):
        unavailable(f"no Kafka jars in {lib} (`prestasync stack up` assembles them)")
    if any(port_open(p) for p in (SASL_PORT, INTERNAL_PORT, CONTROLLER_PORT)):
        unavailable(f"ports {SASL_PORT}/{INTERNAL_PORT}/{CONTROLLER_PORT} are taken")
    secured = SecuredBroker(tmp_path_factory.mktemp("sasl-kafka"), lib)
    secured.certificates()
    secured.start()
    try:
        yield secured
    finally:
        secured.stop()


def settings_for(broker: SecuredBroker, tmp: Path, **kafka: object) -> Settings:
    values: dict[str, object] = {
        "bootstrap": f"127.0.0.1:{SASL_PORT}",
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_username": USER,
        "sasl_password_file": broker.password_file,
        "ssl_cafile": broker.cafile,
        **kafka,
    }
    return Settings(home=tmp, kafka=values)  # type: ignore[arg-type]


def test_check_reaches_the_secured_broker(broker: SecuredBroker, tmp_path: Path) -> None:
    findings = check_kafka(settings_for(broker, tmp_path))
    assert [(f.check, f.status) for f in findings] == [("reachable", "ok")], findings
    assert "SASL SCRAM-SHA-512 as prestasync" in findings[0].detail
    assert broker.password not in findings[0].detail


def test_a_record_goes_through_the_workers_clients(broker: SecuredBroker, tmp_path: Path) -> None:
    settings = settings_for(broker, tmp_path)
    topic = f"sasl-{uuid.uuid4().hex[:8]}"
    with kafka_clients.admin_client(settings) as admin:
        from kafka.admin import NewTopic

        admin.create_topics([NewTopic(topic, 1, 1)])
    producer = kafka_clients.producer(settings)
    producer.send(topic, key=b"k", value=b"over TLS").get(timeout=30)
    producer.close()
    reader = kafka_clients.consumer(settings, topic, auto_offset_reset="earliest", consumer_timeout_ms=15000)
    try:
        assert [r.value for r in reader] == [b"over TLS"]
    finally:
        reader.close()


def test_the_faust_workers_credentials_connect(broker: SecuredBroker, tmp_path: Path) -> None:
    """faust hands ``broker_credentials`` to aiokafka: the same SASL/TLS as aiokafka's own client."""
    from aiokafka import AIOKafkaProducer

    options = kafka_clients.faust_broker(settings_for(broker, tmp_path).kafka)
    assert options["broker"] == f"kafka://127.0.0.1:{SASL_PORT}"
    creds = options["broker_credentials"]

    async def send() -> None:
        producer = AIOKafkaProducer(
            bootstrap_servers=f"127.0.0.1:{SASL_PORT}",
            security_protocol="SASL_SSL",
            sasl_mechanism=creds.mechanism.value,
            sasl_plain_username=creds.username,
            sasl_plain_password=creds.password,
            ssl_context=creds.ssl_context,
        )
        await producer.start()
        try:
            await producer.send_and_wait("faust-sasl", b"x")
        finally:
            await producer.stop()

    asyncio.run(send())


@pytest.mark.parametrize(
    "wrong",
    [
        {"sasl_password_file": "WRONG"},
        {"security_protocol": "SASL_PLAINTEXT"},
        {"ssl_cafile": None},
    ],
    ids=["wrong-password", "no-tls", "untrusted-ca"],
)
def test_a_wrong_client_is_refused(broker: SecuredBroker, tmp_path: Path, wrong: dict[str, object]) -> None:
    if wrong.get("sasl_password_file") == "WRONG":
        bad = tmp_path / "bad.password"
        bad.write_text("not-the-password\n")
        wrong = {"sasl_password_file": bad}
    findings = check_kafka(settings_for(broker, tmp_path, **wrong))
    assert [(f.check, f.status) for f in findings] == [("reachable", "problem")], findings
