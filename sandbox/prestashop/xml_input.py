"""Reading POST/PUT/PATCH bodies: hardened XML parsing into plain per-entity payloads.

defusedxml refuses DTDs, entity declarations and external references, so neither XXE nor
entity-expansion bombs get through; PrestaShop answers an unparsable body with 500, code 127.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from sandbox.prestashop.views import WsError

MAX_BODY_BYTES = 8 * 1024 * 1024


@dataclass
class EntityInput:
    """One entity node of the body: plain values, per-language values, association rows."""

    values: dict[str, str] = field(default_factory=dict)
    lang_values: dict[str, dict[int, str]] = field(default_factory=dict)
    associations: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.values or name in self.lang_values


def _text(element: Element) -> str:
    # SimpleXML's (string) cast: the element's own text (no trimming; PrestaShop warns about it).
    return element.text or ""


def parse_entities(body: bytes) -> list[EntityInput]:
    if body.startswith(b"xml="):  # dispatcher.php strips a form-style prefix, without URL-decoding
        body = body[4:]
    if len(body) > MAX_BODY_BYTES:
        raise WsError(500, 127, f"XML error : body too large\nXML length : {len(body)}")
    try:
        root = SafeET.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise WsError(500, 127, f"XML error : {exc}\nXML length : {len(body)}") from exc
    entities: list[EntityInput] = []
    for entity_node in list(root):
        entity = EntityInput()
        for child in list(entity_node):
            if child.tag == "associations":
                for assoc in list(child):
                    entity.associations[assoc.tag] = [
                        {leaf.tag: _text(leaf) for leaf in list(item)} for item in list(assoc)
                    ]
                continue
            languages = [c for c in list(child) if c.tag == "language"]
            if languages:
                entity.lang_values[child.tag] = {
                    int(lang.get("id") or 0): _text(lang) for lang in languages if (lang.get("id") or "").isdigit()
                }
            else:
                entity.values[child.tag] = _text(child)
        entities.append(entity)
    return entities
