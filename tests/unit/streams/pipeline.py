"""The streams app in a unit test: the captured order's events (varied field by field) run through the
mapping and the process agent (memory store, agent.test_context()), and the commands it sends."""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any

from kernel.settings import Settings, StreamsSettings
from schemas import topics
from streams.app import StreamsApp
from streams.outputs import Out
from tests.support.paths import FIXTURES as FIXTURES_DIR

FIXTURES = FIXTURES_DIR / "debezium"
SHOP_COMMANDS = topics.commands_topic("prestashop") + ".unit"
ERP_COMMANDS = topics.commands_topic("odoo") + ".unit"


def event(system: str, name: str) -> tuple[str, dict[str, Any]]:
    folder = FIXTURES / system
    meta = json.loads((folder / f"{name}.meta.json").read_text())
    return meta["topic"], json.loads((folder / f"{name}.json").read_text())


def varied(system: str, name: str, step: int, **after: Any) -> tuple[str, dict[str, Any]]:
    """The captured event with columns changed and a later source position (a later commit)."""
    topic, value = event(system, name)
    value = copy.deepcopy(value)
    payload = value["payload"]
    payload["after"].update(after)
    source = payload["source"]
    if system == "prestashop":
        source["pos"] += 1000 * step
    else:
        source["lsn"] += 1000 * step
    for field in ("ts_ms", "ts_us", "ts_ns"):
        source[field] += step * {"ts_ms": 1000, "ts_us": 10**6, "ts_ns": 10**9}[field]
    return topic, value


class Pipeline:
    def __init__(self) -> None:
        self.app, self.sent = make_app()
        self.offset = 0

    def feed(self, events: list[tuple[str, dict[str, Any]]]) -> list[Out]:
        before = len(self.sent)
        asyncio.run(self._feed(self.app, events))
        return [o for o in self.sent[before:] if o.topic in (SHOP_COMMANDS, ERP_COMMANDS)]

    async def _feed(self, app: StreamsApp, events: list[tuple[str, dict[str, Any]]]) -> None:
        mapped: list[Out] = []
        for topic, value in events:
            self.offset += 1
            mapped += app.processor.map_raw(topic, 0, self.offset, None, json.dumps(value).encode(), 0.0)
        self.sent.extend(o for o in mapped if o.topic != app.processor.canonical)
        async with app.process_agent.test_context() as agent:
            queue = [o for o in mapped if o.topic == app.processor.canonical]
            while queue:
                out = queue.pop(0)
                before = len(self.sent)
                await agent.put(out.value, key=out.key, headers=out.headers)
                queue += [o for o in self.sent[before:] if o.topic == app.processor.canonical]

    def decode(self, out: Out) -> Any:
        return self.app.processor.codec.decode(out.value or b"")


def make_app(timeout: float = 120.0) -> tuple[StreamsApp, list[Out]]:
    settings = Settings(streams=StreamsSettings(store="memory://", assembly_timeout_s=timeout, topic_suffix=".unit"))
    app = StreamsApp(settings)
    sent: list[Out] = []

    async def collect(out: Out) -> None:
        sent.append(out)

    app.send = collect
    return app, sent
