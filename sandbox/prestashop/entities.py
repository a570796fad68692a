"""The generic entity operations of ``WebserviceRequest`` (GET/HEAD, POST, PUT, PATCH, DELETE)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sandbox.prestashop.db import ShopDatabase
from sandbox.prestashop.model import EntityReader, ResourceModel
from sandbox.prestashop.query import build_list_query
from sandbox.prestashop.views import EntityView, ListView, WsError
from sandbox.prestashop.write import EntityWriter
from sandbox.prestashop.xml_input import parse_entities

_ID_LIST = re.compile(r"^\[(.*)\]$")


@dataclass
class Outcome:
    status: int
    view: EntityView | ListView | list[EntityView] | None = None  # None: no body
    ids: list[int] = field(default_factory=list)


def _last(query: dict[str, list[str]], key: str) -> str | None:
    values = query.get(key)
    return values[-1] if values else None


def _php_int(text: str) -> int:
    match = re.match(r"\s*([+-]?\d+)", text)
    return int(match.group(1)) if match else 0


class EntityService:
    def __init__(self, db: ShopDatabase, model: ResourceModel, languages: list[int]) -> None:
        self.db = db
        self.model = model
        self.languages = languages
        self.reader = EntityReader(db, model, languages=languages)
        self.writer = EntityWriter(db, model, languages)

    def get(self, cur: Any, segment_id: str | None, query: dict[str, list[str]]) -> Outcome:
        schema = _last(query, "schema")
        if schema is not None:
            if schema not in ("blank", "synopsis"):
                raise WsError(
                    400,
                    28,
                    "Please select a schema of type 'synopsis' to get the whole schema "
                    "informations (which fields are required, which kind of content...) or 'blank' to get "
                    "an empty schema to fill before using POST request",
                )
            return Outcome(200, self.model.blank(self.languages, synopsis=schema == "synopsis"))
        if segment_id:
            entity_id = _php_int(segment_id)
            display = build_list_query(
                self.model, {k: v for k, v in query.items() if k == "display"}, self.db.prefix
            ).display
            only = display if isinstance(display, set) else None
            view = self.reader.read(cur, entity_id, only=only) if entity_id > 0 else None
            if view is None:
                return Outcome(404, None)  # PrestaShop: 404 with output disabled (empty body)
            return Outcome(200, view, [entity_id])
        spec = self.model.spec
        q = build_list_query(self.model, query, self.db.prefix)
        where = "".join(f" AND {w}" for w in q.where)
        order = q.order or f" ORDER BY main.`{spec.id_column}` ASC"
        cur.execute(
            f"SELECT DISTINCT main.`{spec.id_column}` AS id FROM {self.db.table(spec.table)} AS main {q.joins} "
            f"WHERE 1{where}{order}{q.limit}",
            q.params,
        )
        ids = [int(r["id"]) for r in cur.fetchall()]
        full = q.display is not None and q.display != "minimum"
        only = q.display if isinstance(q.display, set) else None
        entities: list[EntityView] = []
        for entity_id in ids:
            if full:
                view = self.reader.read(cur, entity_id, only=only)
                if view is not None:
                    entities.append(view)
            else:
                entities.append(EntityView(spec.node, entity_id, []))
        return Outcome(200, ListView(spec.name, spec.node, entities, full), ids)

    def save(self, cur: Any, method: str, body: bytes) -> Outcome:
        entities = parse_entities(body)
        ids = [e.values["id"].strip() for e in entities if e.values.get("id", "").strip()]
        if method in ("PUT", "PATCH"):
            if len(set(ids)) != len(ids):
                raise WsError(400, 89, "id is duplicate in request")
            if len(entities) != len(ids):
                raise WsError(400, 90, "id is required when modifying a resource")
        elif ids:
            raise WsError(400, 91, "id is forbidden when adding a new resource")
        saved = [self.writer.save(cur, method, entity) for entity in entities]
        views = [v for v in (self.reader.read(cur, i) for i in saved) if v is not None]
        if method == "POST":
            # A real 8.1.2 answers a POST with the object it built: multilingual fields the body did not
            # give are unset there and render without language links.
            for view, entity in zip(views, entities, strict=False):
                for f in view.fields:
                    given = f.name in entity.lang_values or f.name in entity.values
                    f.language_links = not isinstance(f.value, dict) or given
        return Outcome(201 if method == "POST" else 200, views, saved)

    def delete(self, cur: Any, segment_id: str | None, query: dict[str, list[str]]) -> Outcome:
        raw_ids: list[str] = []
        id_param = _last(query, "id")
        if id_param is not None:
            match = _ID_LIST.match(id_param)
            if match:
                raw_ids = match.group(1).split(",")
        else:
            raw_ids = [segment_id or "0"]
        missing = [r for r in raw_ids if _php_int(r) <= 0 or not self.reader.exists(cur, _php_int(r))]
        if missing or not raw_ids:
            raise WsError(404, 87, "Id(s) not exists: " + ", ".join(missing))
        ids = [_php_int(r) for r in raw_ids]
        for entity_id in ids:
            self.writer.delete(cur, entity_id)
        return Outcome(200, None, ids)
