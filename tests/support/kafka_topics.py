"""Topics of a test's own: a unique name, created before use, deleted afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from kafka.admin import KafkaAdminClient, NewTopic

from kernel.settings import get_settings


@contextmanager
def own_topic(prefix: str = "test", partitions: int = 1) -> Iterator[str]:
    name = f"{prefix}.{uuid.uuid4().hex[:12]}"
    client = KafkaAdminClient(bootstrap_servers=get_settings().kafka.bootstrap)
    try:
        client.create_topics([NewTopic(name, partitions, 1)], wait_for_metadata=True)
        yield name
    finally:
        client.delete_topics([name], raise_errors=False)
        client.close()
