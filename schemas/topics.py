"""Topic names and Kafka headers: the contract between connectors, streams and sinks.

Raw Debezium topics are named by Kafka Connect (``<topic.prefix>.<db>.<table>``); everything after
them is prestasync's own and named here, so no component spells a topic name of its own.

Command topics carry canonical records (Avro single-object or Confluent encoded, see
``schemas.codec``): the record *is* the desired state in the target system, and its type says what
to do with it (``Customer`` -> upsert the partner, ``StockLevel`` -> set the shop's stock, ...).
Kafka headers carry what is about the command rather than the entity (``HEADER_*`` below).
"""

from __future__ import annotations

from typing import Final

SHOP_TOPIC_PREFIX: Final = "shop"  # connect/prestashop-mariadb.json topic.prefix
ERP_TOPIC_PREFIX: Final = "erp"  # connect/odoo-postgres.json topic.prefix

CANONICAL: Final = "prestasync.canonical"  # mapped observations, keyed (repartitioned) by canonical key
ACKS: Final = "prestasync.acks"  # SinkAck records from every sink, keyed by canonical key
STREAMS_DLQ: Final = "prestasync.dlq.streams"
# compacted: the latest quantity per SKU and ERP store location (schemas.store_stock), for the lookup
STORE_STOCK: Final = "prestasync.store_stock"

TARGET_SYSTEMS: Final = ("prestashop", "odoo")


def commands_topic(target_system: str) -> str:
    """One command topic per target system, keyed by canonical key (per-entity order)."""
    _check(target_system)
    return f"prestasync.commands.{target_system}"


def sink_dlq_topic(target_system: str) -> str:
    _check(target_system)
    return f"prestasync.dlq.sink.{target_system}"


def sink_group(target_system: str) -> str:
    """Each target system has its own consumer group: one slow API never stalls another."""
    _check(target_system)
    return f"prestasync-sink-{target_system}"


def _check(target_system: str) -> None:
    if target_system not in TARGET_SYSTEMS:
        raise ValueError(f"unknown target system {target_system!r}; one of {TARGET_SYSTEMS}")


# Headers on command records (values are UTF-8 bytes).
HEADER_COMMAND_ID: Final = "prestasync-command-id"  # deterministic: replays carry the same id
HEADER_FIELDS: Final = "prestasync-fields"  # comma-separated synced fields the owner asserts
HEADER_CREATE_ONLY: Final = "prestasync-create-only"  # comma-separated fields to send on creation only
HEADER_SOURCE_TS: Final = "prestasync-source-ts"  # ISO-8601 UTC commit time at the origin (latency)
# JSON object: per asserted field, the value the target holds as far as the streams knew when they derived
# the command; a sink finding another value there refuses the command as stale (SinkAck status "stale")
HEADER_EXPECTED: Final = "prestasync-expected"

# Headers on dead-letter records; the value is the original record's bytes, unchanged.
HEADER_DLQ_ERROR: Final = "prestasync-error"  # class of the error (e.g. MappingError, ApiRejected)
HEADER_DLQ_REASON: Final = "prestasync-reason"  # human-readable reason
HEADER_DLQ_TOPIC: Final = "prestasync-original-topic"
HEADER_DLQ_PARTITION: Final = "prestasync-original-partition"
HEADER_DLQ_OFFSET: Final = "prestasync-original-offset"
HEADER_DLQ_KEY: Final = "prestasync-original-key"
HEADER_DLQ_REQUEST: Final = "prestasync-api-request"  # sinks: method + URL + body sent (secrets removed)
HEADER_DLQ_RESPONSE: Final = "prestasync-api-response"  # sinks: status + body answered
HEADER_DLQ_TS: Final = "prestasync-dead-lettered-at"
# every header a dead letter adds to the original's (a replay strips them, a second dead letter replaces them)
DLQ_HEADERS: Final = frozenset(
    {
        HEADER_DLQ_ERROR,
        HEADER_DLQ_REASON,
        HEADER_DLQ_TOPIC,
        HEADER_DLQ_PARTITION,
        HEADER_DLQ_OFFSET,
        HEADER_DLQ_KEY,
        HEADER_DLQ_REQUEST,
        HEADER_DLQ_RESPONSE,
        HEADER_DLQ_TS,
    }
)
