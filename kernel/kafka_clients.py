"""Kafka clients, built from the settings in one place: bootstrap, TLS and SASL for every client.

kafka-python clients (the sink workers, the operator commands, the streams' setup, the samplers) take
:func:`client_options`; the Faust app takes :func:`faust_broker`. A cluster prestasync did not start
(``kafka.local: false``) is reached the same way by all of them, and its SASL password is read from
``kafka.sasl_password_file`` only here.
"""

from __future__ import annotations

import ssl
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer

from kernel.settings import KafkaSettings, Settings, read_secret_file


def client_options(kafka: KafkaSettings) -> dict[str, Any]:
    """The connection options of a kafka-python client (``bootstrap_servers``, TLS, SASL)."""
    options: dict[str, Any] = {"bootstrap_servers": kafka.bootstrap, "security_protocol": kafka.security_protocol}
    if kafka.security_protocol in ("SSL", "SASL_SSL"):
        options["ssl_check_hostname"] = kafka.ssl_check_hostname
        for option, path in (
            ("ssl_cafile", kafka.ssl_cafile),
            ("ssl_certfile", kafka.ssl_certfile),
            ("ssl_keyfile", kafka.ssl_keyfile),
        ):
            if path is not None:
                options[option] = str(path)
    if kafka.security_protocol.startswith("SASL_"):
        username, password = sasl_login(kafka)
        options.update(sasl_mechanism=kafka.sasl_mechanism, sasl_plain_username=username, sasl_plain_password=password)
    return options


def sasl_login(kafka: KafkaSettings) -> tuple[str, str]:
    """The SASL user and its password (read from ``kafka.sasl_password_file``)."""
    if not kafka.sasl_username or kafka.sasl_password_file is None:
        raise ValueError(
            f"kafka.security_protocol {kafka.security_protocol} needs kafka.sasl_username and kafka.sasl_password_file"
        )
    return kafka.sasl_username, read_secret_file(kafka.sasl_password_file, "Kafka SASL password").get_secret_value()


def ssl_context(kafka: KafkaSettings) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(kafka.ssl_cafile) if kafka.ssl_cafile else None)
    context.check_hostname = kafka.ssl_check_hostname
    if kafka.ssl_certfile is not None:
        context.load_cert_chain(str(kafka.ssl_certfile), str(kafka.ssl_keyfile) if kafka.ssl_keyfile else None)
    return context


def faust_broker(kafka: KafkaSettings) -> dict[str, Any]:
    """``broker`` and ``broker_credentials`` of a ``faust.App``."""
    import faust  # only the streams worker loads Faust

    options: dict[str, Any] = {"broker": ";".join(f"kafka://{b.strip()}" for b in kafka.bootstrap.split(","))}
    tls = ssl_context(kafka) if kafka.security_protocol in ("SSL", "SASL_SSL") else None
    if kafka.security_protocol.startswith("SASL_"):
        username, password = sasl_login(kafka)
        options["broker_credentials"] = faust.SASLCredentials(
            username=username, password=password, mechanism=kafka.sasl_mechanism, ssl_context=tls
        )
    elif tls is not None:
        options["broker_credentials"] = faust.SSLCredentials(tls)
    return options


def consumer(settings: Settings, *topics: str, **options: Any) -> KafkaConsumer:
    """A consumer; without ``group_id`` it is group-less, so reading never moves anybody's offsets."""
    defaults: dict[str, Any] = {"enable_auto_commit": False, "group_id": None}
    return KafkaConsumer(*topics, **{**client_options(settings.kafka), **defaults, **options})


def producer(settings: Settings, **options: Any) -> KafkaProducer:
    """A producer that waits for every in-sync replica (``acks=all``)."""
    return KafkaProducer(**{**client_options(settings.kafka), "acks": "all", "linger_ms": 5, **options})


def admin_client(settings: Settings, **options: Any) -> KafkaAdminClient:
    return KafkaAdminClient(**{**client_options(settings.kafka), "client_id": "prestasync-admin", **options})
