"""`prestasync check`, Kafka: the cluster reached the way every component reaches it (bootstrap, TLS, SASL
from ``kafka.*`` through ``kernel.kafka_clients``), and the schema registry when one is configured.
Read-only: it lists topics and subjects, creates nothing."""

from __future__ import annotations

import requests

from kernel.codec import registry_session
from kernel.errors import StackError
from kernel.kafka_admin import admin
from kernel.settings import Settings
from prestasync.attach.findings import Finding, Report

# an operator's check answers in seconds: a broker that has not answered in 10 s is reported, not waited for
CHECK_BOOTSTRAP_S = 10.0


def check_kafka(settings: Settings) -> list[Finding]:
    report = Report("kafka")
    kafka = settings.kafka
    sasl = f", SASL {kafka.sasl_mechanism} as {kafka.sasl_username or '(no sasl_username)'}"
    how = f"{kafka.bootstrap} ({kafka.security_protocol}{sasl if kafka.security_protocol.startswith('SASL_') else ''})"
    try:
        with admin(settings, bootstrap_timeout_s=CHECK_BOOTSTRAP_S) as client:
            topics = client.list_topics()
    except (StackError, ValueError, OSError) as exc:
        reason = str(exc).splitlines()[0].removeprefix(f"cannot reach Kafka at {kafka.bootstrap}: ")
        report.problem(
            "reachable",
            f"cannot reach Kafka at {how}: {reason}",
            "check kafka.bootstrap, kafka.security_protocol and the SASL / TLS keys (docs/SETTINGS.md)",
        )
        return report.findings
    report.ok("reachable", f"{how}: {len(topics)} topics")
    if kafka.schema_registry_url:
        url = kafka.schema_registry_url.rstrip("/")
        try:
            reply = registry_session(kafka).get(f"{url}/subjects", timeout=10)
        except (requests.RequestException, StackError, ValueError) as exc:
            report.problem(
                "schema registry",
                f"no registry at {url}: {type(exc).__name__}: {exc}",
                "check kafka.schema_registry_url and its credentials",
            )
            return report.findings
        if reply.status_code != 200:
            report.problem(
                "schema registry",
                f"{url}/subjects answered {reply.status_code}",
                "check kafka.schema_registry_username / _password_file (basic auth)",
            )
        else:
            report.ok("schema registry", f"{url}: {len(reply.json())} subjects")
    return report.findings
