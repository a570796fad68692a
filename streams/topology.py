"""The topics the streams worker reads and writes, made to exist before it subscribes.

Faust 0.15's Kafka driver subscribes by topic *name* only: a ``app.topic(pattern=...)`` channel
has no names, so nothing was ever subscribed (``faust/transport/drivers/aiokafka.py``,
``Consumer.subscribe``: "XXX pattern does not work"). The raw topics are therefore listed
explicitly: one per table a mapper handles, named as Debezium names them
(``<topic.prefix>.<database>.<table>``), and created up front if Debezium has not written to them
yet, so the first subscription already covers them (a missing topic is only picked up at the
next metadata refresh and rebalance).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType

from kernel.kafka_admin import admin, committed_offsets, create_missing, end_offsets, topic_widths
from kernel.settings import REPO_ROOT, Settings
from schemas import topics
from streams.local_state import CHANGELOG_CONFIG, changelog_topics
from streams.mapping.odoo import MAPPERS as ERP_MAPPERS
from streams.mapping.prestashop import MAPPERS as SHOP_MAPPERS

log = logging.getLogger(__name__)

# connect/*.json "topic.creation.default.partitions": Debezium makes every raw topic this wide.
RAW_TOPIC_PARTITIONS = 1
ERP_SCHEMA = "public"  # connect/odoo-postgres.json "schema.include.list"
SHOP_CONNECTOR = REPO_ROOT / "connect" / "prestashop-mariadb.json"
ERP_CONNECTOR = REPO_ROOT / "connect" / "odoo-postgres.json"


@dataclass(frozen=True)
class StreamTopics:
    raw: tuple[str, ...]  # Debezium topics of the mapped tables
    canonical: str  # the repartition topic (co-partitioned with the tables)
    acks: str
    dlq: str
    commands: Mapping[str, str]  # target system -> command topic
    changelogs: tuple[str, ...] = ()  # the tables' (streams.local_state)
    store_stock: str = topics.STORE_STOCK  # compacted: the store figures of the lookup

    def own(self) -> tuple[str, ...]:
        return (self.canonical, self.acks, self.dlq, *self.commands.values(), *self.changelogs, self.store_stock)

    def compacted(self) -> dict[str, Mapping[str, str]]:
        return {name: CHANGELOG_CONFIG for name in (*self.changelogs, self.store_stock)}


def captured(connector: Path, qualified: Iterable[str], env: Mapping[str, str]) -> list[str]:
    """The ``<schema>.<table>`` names the connector's ``table.include.list`` captures (every one
    when the file is absent: then we cannot tell, and an idle topic costs little)."""
    names = list(qualified)
    if not connector.is_file():
        return names
    include = json.loads(connector.read_text(encoding="utf-8"))["config"].get("table.include.list")
    if not include:
        return names
    text = re.sub(r"\$\{env:([A-Z0-9_]+)\}", lambda m: re.escape(env.get(m.group(1), m.group(0))), include)
    patterns = [re.compile(p.strip()) for p in text.split(",") if p.strip()]
    return [n for n in names if any(p.fullmatch(n) for p in patterns)]


def stream_topics(settings: Settings) -> StreamTopics:
    suffix = settings.streams.topic_suffix
    db, prefix = settings.mariadb.database, settings.mariadb.table_prefix
    env = {"PRESTASYNC_MARIADB__DATABASE": db, "PRESTASYNC_MARIADB__TABLE_PREFIX": prefix}
    shop = captured(SHOP_CONNECTOR, (f"{db}.{prefix}{t}" for t in SHOP_MAPPERS), env)
    erp = captured(ERP_CONNECTOR, (f"{ERP_SCHEMA}.{t}" for t in ERP_MAPPERS), env)
    # the connectors' topic.prefix as deployed (kafka.topic_prefix_*, see prestasync.stack.connectors)
    raw = tuple(sorted(f"{settings.kafka.topic_prefix_shop}.{name}" for name in shop)) + tuple(
        sorted(f"{settings.kafka.topic_prefix_erp}.{name}" for name in erp)
    )
    return StreamTopics(
        raw=raw,
        canonical=topics.CANONICAL + suffix,
        acks=topics.ACKS + suffix,
        dlq=topics.STREAMS_DLQ + suffix,
        commands={s: topics.commands_topic(s) + suffix for s in topics.TARGET_SYSTEMS},
        changelogs=changelog_topics(settings.streams.app_id + suffix),
        store_stock=topics.STORE_STOCK + suffix,
    )


def ensure_topics(settings: Settings, wanted: StreamTopics) -> dict[str, str]:
    """Create the missing topics (raw ones as Debezium would, own ones with ``streams.partitions``,
    changelogs compacted as ``streams.local_state`` says); return every wanted topic's id.
    Raises ``ValueError`` when the canonical topic exists with another partition count than the
    tables: co-partitioning would silently break."""
    widths = {name: RAW_TOPIC_PARTITIONS for name in wanted.raw}
    widths.update({name: settings.streams.partitions for name in wanted.own()})
    with admin(settings) as client:
        found = topic_widths(client).get(wanted.canonical)
        if found is not None and found != settings.streams.partitions:
            raise ValueError(
                f"{wanted.canonical} has {found} partitions, streams.partitions is "
                f"{settings.streams.partitions}: they must be equal (tables are co-partitioned)"
            )
        existing = topic_widths(client)
        created = create_missing(client, widths, wanted.compacted())
        compact_changelogs(client, [t for t in wanted.changelogs if t in existing])
        ids = {
            t["name"]: str(t.get("topic_id")) for t in client.describe_topics(sorted(widths)) if t["error_code"] == 0
        }
    if created:
        log.info("created topics: %s", ", ".join(created))
    return ids


def compact_changelogs(admin: KafkaAdminClient, names: list[str], timeout_s: float = 15.0) -> None:
    """Changelogs made before (by Faust, with Kafka's 7-day segments) get ``CHANGELOG_CONFIG`` too
    (an incremental change of those keys only). A topic created a moment ago may not be known yet
    to the broker answering (KRaft metadata propagates asynchronously): its change is refused and
    its configs read back without the new keys, so this retries until the change reads back, then
    warns naming what it could not change (retention only: the worker runs either way)."""
    deadline = time.monotonic() + timeout_s
    stale = _stale_changelogs(admin, names)
    if not stale:
        return
    while True:
        answers = admin.alter_configs(
            [ConfigResource(ConfigResourceType.TOPIC, n, configs=dict(CHANGELOG_CONFIG)) for n in stale],
            incremental=True,
        ).get("topic", {})
        refused = {n: answers.get(n) for n in stale if answers.get(n) != "OK"}
        left = _stale_changelogs(admin, stale)
        if not left:
            log.info("changelogs compacted hourly from now on: %s", ", ".join(stale))
            return
        if time.monotonic() > deadline:
            log.warning(
                "changelogs still on their old segment settings (compaction waits for 7-day segments): %s",
                "; ".join(f"{n}: {refused.get(n) or 'not read back yet'}" for n in left),
            )
            return
        time.sleep(0.5)


def _stale_changelogs(admin: KafkaAdminClient, names: list[str]) -> list[str]:
    """Those of ``names`` whose configs do not read back as ``CHANGELOG_CONFIG``."""
    if not names:
        return []
    found = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, n) for n in names]).get("topic", {})
    return [n for n in names if any(found.get(n, {}).get(k, {}).get("value") != v for k, v in CHANGELOG_CONFIG.items())]


def start_offsets(settings: Settings, group: str, raw: Iterable[str]) -> dict[tuple[str, int], int]:
    """With ``streams.start_from = latest``: for each raw partition the group never committed, the
    offset the worker starts at (the end now); events before it are skipped, not processed.
    Partitions with a committed offset resume from it (a restart loses nothing)."""
    if settings.streams.start_from == "earliest":
        return {}
    with admin(settings) as client:
        committed = committed_offsets(client, group)
    return {
        (tp.topic, tp.partition): int(end) for tp, end in end_offsets(settings, *raw).items() if tp not in committed
    }
