"""Webservice bodies <-> plain entities: hardened XML parsing, JSON normalisation, PUT documents.

Every XML body is parsed with defusedxml (no DTDs, entities or external references), so a hostile
or broken shop cannot make the sink resolve entities. A body that cannot be read raises
:class:`MalformedBody`; the client turns it into a transient error (the write may have happened,
the retry re-reads before writing).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from xml.etree.ElementTree import Element, ParseError, SubElement, tostring

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from sinks.prestashop.fields import Stored
from sinks.prestashop.mapping import Associations, FieldValue, xml_payload

Entity = dict[str, Any]  # field -> Stored, plus "associations" kept as read
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


class MalformedBody(ValueError):
    """The shop answered success with a body that is not the XML/JSON it promised."""


def parse_xml(body: bytes) -> Element:
    try:
        root: Element = SafeET.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise MalformedBody(f"unreadable XML: {exc}") from exc
    if root.tag != "prestashop":
        raise MalformedBody(f"XML root is <{root.tag}>, not <prestashop>")
    return root


def xml_entity(body: bytes, node: str) -> Entity:
    """The ``<prestashop><node>`` entity of a write answer as plain fields."""
    element = parse_xml(body).find(node)
    if element is None:
        raise MalformedBody(f"no <{node}> in the answer")
    return element_fields(element)


def element_fields(element: Element) -> Entity:
    entity: Entity = {}
    for child in element:
        if child.tag == "associations":
            entity["associations"] = {
                assoc.tag: [{leaf.tag: leaf.text or "" for leaf in item} for item in assoc] for assoc in child
            }
            continue
        languages = [c for c in child if c.tag == "language"]
        if languages:
            entity[child.tag] = {int(c.get("id") or 0): c.text or "" for c in languages}
        else:
            entity[child.tag] = child.text or ""
    return entity


def error_messages(body: bytes) -> list[str]:
    """``code: message`` of each error of an error body, XML (``<errors><error>``) or JSON
    (``{"errors": [...]}``, when JSON output was asked); empty if the body holds none."""
    if body.lstrip().startswith(b"{"):
        try:
            errors = parse_json(body).get("errors")
        except (MalformedBody, AttributeError):
            return []
        return (
            [f"{e.get('code', '')}: {e.get('message', '')}" for e in errors if isinstance(e, dict)]
            if isinstance(errors, list)
            else []
        )
    try:
        root = parse_xml(body)
    except MalformedBody:
        return []
    return [f"{e.findtext('code') or ''}: {e.findtext('message') or ''}" for e in root.iter("error")]


def parse_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedBody(f"unreadable JSON: {exc}") from exc


def json_value(value: Any) -> Stored:
    """A JSON field value: a language list becomes {id_lang: text}, scalars become text."""
    if isinstance(value, list) and all(isinstance(v, dict) and "id" in v for v in value):
        return {int(v["id"]): "" if v.get("value") is None else str(v["value"]) for v in value}
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def json_entity(data: Any) -> Entity:
    if not isinstance(data, dict):
        raise MalformedBody(f"expected a JSON object, got {type(data).__name__}")
    return {name: value if name == "associations" else json_value(value) for name, value in data.items()}


def json_list(data: Any, resource: str) -> list[Entity]:
    """A JSON list answer: ``{"<resource>": [...]}``, or ``[]`` when nothing matched."""
    if data == [] or data == {}:
        return []
    if not isinstance(data, dict) or not isinstance(data.get(resource), list):
        raise MalformedBody(f"expected {{{resource!r}: [...]}} in the JSON answer")
    return [json_entity(item) for item in data[resource]]


def json_detail(data: Any, node: str) -> Entity:
    if not isinstance(data, dict) or node not in data:
        raise MalformedBody(f"expected {{{node!r}: {{...}}}} in the JSON answer")
    return json_entity(data[node])


def patch_document(
    node: str, entity_id: int, changes: Mapping[str, FieldValue], associations: Associations | None = None
) -> bytes:
    """A PATCH body (8.0+): the id and only the changed fields (and associations)."""
    return xml_payload(node, {"id": entity_id, **changes}, associations)


def put_document(
    current: bytes,
    node: str,
    changes: Mapping[str, FieldValue],
    read_only: frozenset[str],
    associations: Associations | None = None,
) -> bytes:
    """A full PUT body (GET-modify-PUT, before 8.0): the resource as read, with ``changes`` applied.

    Read-only fields are dropped (PrestaShop refuses them with code 93); everything else is sent
    back as read, so fields the sink does not own keep their values.
    """
    root = parse_xml(current)
    element = root.find(node)
    if element is None:
        raise MalformedBody(f"no <{node}> in the resource read")
    for child in list(element):
        if child.tag in read_only:
            element.remove(child)
    for item in element.iter():
        for attribute in [a for a in item.attrib if a == XLINK_HREF or a == "notFilterable"]:
            del item.attrib[attribute]
    fresh = SafeET.fromstring(xml_payload(node, changes)).find(node)
    assert fresh is not None
    for new_child in fresh:
        old_child = element.find(new_child.tag)
        if old_child is None:
            element.append(new_child)
        elif len(new_child):  # languages: replace the given ones, keep the others
            for language in new_child:
                old_language = old_child.find(f"language[@id='{language.get('id')}']")
                if old_language is None:
                    old_child.append(language)
                else:
                    old_language.text = language.text
        else:
            old_child.text = new_child.text
    if associations:  # each association given replaces the one read; the others are sent back as read
        fresh_links = SafeET.fromstring(xml_payload(node, {}, associations)).find(f"{node}/associations")
        assert fresh_links is not None
        holder = element.find("associations")
        if holder is None:
            holder = SubElement(element, "associations")
        for group in fresh_links:
            old_group = holder.find(group.tag)
            if old_group is not None:
                holder.remove(old_group)
            holder.append(group)
    document: bytes = tostring(root, encoding="utf-8", xml_declaration=True)
    return document
