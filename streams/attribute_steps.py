"""Odoo attribute names joined to the template attribute values variants list (issue #14 item 1).

A variant lists its values as ``product_template_attribute_value`` ids (``combination_indices``); the
names are two tables away (``product_attribute_value.name``, ``product_attribute.name``), and the three
rows come on three topics in no set order. All three are keyed ``attr:<attribute id>`` and met here
(table ``templates``, which holds ``tmpl:`` keys too): whenever a template value's group and value
names are both known, or change, they go to its template's key (``tmpl:<template id>``, kind
``attrnames``), where ``streams.joins`` holds the variants until every value of theirs is named.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from schemas.codec import Codec
from schemas.observations import AttributeName
from streams.outputs import H_KIND, Out, Tables

ATTRIBUTE_NAME = b"attrname"  # H_KIND of an AttributeName on its way to its attribute's key
ATTRIBUTE_NAMES = b"attrnames"  # H_KIND of named template values on their way to their template


def attribute_key(attribute_id: str) -> bytes:
    return f"attr:{attribute_id}".encode()


def naming(held: dict[str, Any], link: dict[str, str]) -> dict[str, dict[str, str]] | None:
    """The names of one template value ({"attribute": {locale: text}, "value": {...}}); None: not yet."""
    group, value = held.get("names"), dict(held.get("values") or {}).get(link["value"])
    return {"attribute": dict(group), "value": dict(value)} if group and value else None


class AttributeSteps:
    codec: Codec
    canonical: str

    def _attribute_name(self, t: Tables, key: str, value: bytes) -> list[Out]:
        record = self.codec.decode(value)
        assert isinstance(record, AttributeName)
        held: dict[str, Any] = dict(t.templates.get(key) or {})
        links: dict[str, dict[str, str]] = dict(held.get("links") or {})
        gone = record.envelope.deleted
        if record.kind == "attribute":
            held["names"] = None if gone else record.names
            affected = set(links)
        elif record.kind == "value" and record.value_origin_id is not None:
            values = dict(held.get("values") or {})
            if gone:
                values.pop(record.value_origin_id, None)
            else:
                values[record.value_origin_id] = record.names
            held["values"] = values
            affected = {ptav for ptav, link in links.items() if link["value"] == record.value_origin_id}
        elif record.kind == "template_value" and record.value_origin_id and record.template_origin_id:
            ptav = record.envelope.origin_id
            link = {"value": record.value_origin_id, "template": record.template_origin_id}
            removed = links.pop(ptav, None) if gone else None
            if not gone:
                links[ptav] = link
            held["links"] = links
            t.templates[key] = held
            if removed is not None:  # its template forgets it (its variants are archived by Odoo anyway)
                return [self._names_out(removed["template"], {ptav: None})]
            return self._named(held, {ptav})
        else:
            return []
        t.templates[key] = held
        return self._named(held, affected)

    def _named(self, held: dict[str, Any], ptavs: set[str]) -> list[Out]:
        """The names of ``ptavs`` (template value ids of this attribute), one record per template."""
        links: dict[str, dict[str, str]] = dict(held.get("links") or {})
        by_template: dict[str, dict[str, Any]] = defaultdict(dict)
        for ptav in sorted(ptavs):
            if ptav in links:
                by_template[links[ptav]["template"]][ptav] = naming(held, links[ptav])
        return [self._names_out(template, names) for template, names in sorted(by_template.items())]

    def _names_out(self, template_id: str, names: dict[str, Any]) -> Out:
        body = json.dumps(names, sort_keys=True).encode()
        return Out(self.canonical, f"tmpl:{template_id}".encode(), body, [(H_KIND, ATTRIBUTE_NAMES)])
