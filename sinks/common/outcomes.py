"""What a command's outcome leaves behind: its ack or its dead letter on Kafka, the counters and metrics,
and the operator's alert when the target refuses the integration's key.

The worker flushes the producer and waits for every future this returns before it commits an offset, so a
failed ack or dead-letter send never lets an offset move past its command.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from kafka import KafkaProducer

from kernel import metrics
from schemas.codec import Codec
from sinks.common.commands import Command, ack_key, ack_record, ack_status, dead_letter_headers
from sinks.common.dispatch import Abandoned, Blocked, Dead, Done, Outcome
from sinks.common.errors import CredentialsRefused

if TYPE_CHECKING:
    from sinks.common.worker import WorkerStats

log = logging.getLogger("sinks.common.worker")  # the worker's log: operators grep one logger


class OutcomePublisher:
    def __init__(
        self, system: str, producer: KafkaProducer, codec: Codec, acks_topic: str, dlq_topic: str, stats: WorkerStats
    ) -> None:
        self.system = system
        self.producer = producer
        self.codec = codec
        self.acks_topic = acks_topic
        self.dlq_topic = dlq_topic
        self.stats = stats

    def publish(self, command: Command, outcome: Outcome) -> Any:
        """The ack of a done command or the dead letter of a dead one (the send's future, which the worker
        waits for before it commits), or None for a blocked one (counted, logged, alerted)."""
        now = datetime.now(UTC)
        if isinstance(outcome, Done):
            self.stats.credentials_refused = None
            if outcome.applied.changed:
                self.stats.applied += 1
            else:
                self.stats.unchanged += 1
            status = ack_status(outcome.applied)
            metrics.COMMANDS_APPLIED.labels(self.system, status).inc()
            if outcome.applied.stale and command.canonical is not None:
                self.stats.stale += 1
                metrics.STALE_REFUSED.labels(self.system, command.canonical.ENTITY).inc()
                log.info(
                    "sink %s: %s:%s@%s refused as stale (the target holds %s)",
                    self.system,
                    command.topic,
                    command.partition,
                    command.offset,
                    outcome.applied.written,
                )
            if command.meta.source_ts is not None:
                latency = (now - command.meta.source_ts).total_seconds()
                metrics.END_TO_END_LATENCY.labels(f"to_{self.system}").observe(max(latency, 0.0))
            ack = ack_record(command, outcome.applied, self.system, now)
            return self.producer.send(self.acks_topic, key=ack_key(command), value=self.codec.encode(ack))
        if isinstance(outcome, Dead):
            self.stats.dead += 1
            metrics.COMMANDS_APPLIED.labels(self.system, "dead_lettered").inc()
            metrics.API_ERRORS.labels(self.system, "terminal").inc()
            log.warning(
                "sink %s: dead-lettering %s:%s@%s: %s %s",
                self.system,
                command.topic,
                command.partition,
                command.offset,
                outcome.error_class,
                outcome.reason,
            )
            headers = dead_letter_headers(
                command,
                error_class=outcome.error_class,
                reason=outcome.reason,
                request=outcome.request,
                response=outcome.response,
                now=now,
            )
            return self.producer.send(self.dlq_topic, key=command.key, value=command.value, headers=headers)
        if isinstance(outcome, Blocked) and isinstance(outcome.last, CredentialsRefused):
            self.stats.credentials_refused = outcome.last.reason
            metrics.CREDENTIALS_REFUSED.labels(self.system).inc()
            log.error(
                "sink %s: ALERT the target refuses the integration's key or rights (%s): %s:%s@%s and "
                "its partition waits, nothing is dead-lettered; fix the key or the rights",
                self.system,
                outcome.last.reason,
                command.topic,
                command.partition,
                command.offset,
            )
        elif isinstance(outcome, Blocked):
            log.warning(
                "sink %s: %s:%s@%s still failing after %d attempts: %s",
                self.system,
                command.topic,
                command.partition,
                command.offset,
                outcome.attempts,
                outcome.last.reason,
            )
        assert isinstance(outcome, Blocked | Abandoned)
        return None
