"""Compare a twin's answer with an answer recorded from the real system, by shape.

Recorded exchanges live in ``tests/fixtures/real/<system>/NN_<name>.json`` (see the "Checked against
the real systems" section of docs/TWINS.md). Values that legitimately differ between two databases
(ids, dates, keys, names) are ignored; what must match is the envelope: element/key structure,
attribute names, JSON value kinds, status, content type, error codes.

A shape is a nested dict. XML: ``{"@": [attribute names], "<child tag>": shape}``; JSON: dict ->
``{key: shape}``, list -> ``{"[]": merged item shape}``, scalar -> its kind. Repeated XML children and
list items are merged, so a list of three customers has the shape of one.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as ET

from tests.support.paths import FIXTURES as FIXTURES_DIR

FIXTURES = FIXTURES_DIR / "real"

Shape = dict[str, Any]


class TwinDiffers(AssertionError):
    """The twin's answer differs from the recorded real answer exactly as documented."""


@dataclass(frozen=True)
class Recorded:
    """One recorded exchange with the real system."""

    file: Path
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.data["name"])

    @property
    def request(self) -> dict[str, Any]:
        return dict(self.data["request"])

    @property
    def response(self) -> dict[str, Any]:
        return dict(self.data["response"])


def load_recorded(system: str) -> list[Recorded]:
    """Every recorded exchange of ``system`` in recording order (empty when none are committed)."""
    folder = FIXTURES / system
    return [Recorded(f, json.loads(f.read_text())) for f in sorted(folder.glob("*.json"))]


def fill(text: str, values: dict[str, str]) -> str:
    """Replace ``{name}`` placeholders of a recorded path/body with the twin's own ids."""
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def media_type(content_type: str) -> str:
    """Content type without spaces; ``application/json`` without its charset parameter, which RFC 8259
    does not define (JSON is UTF-8), so ``application/json; charset=utf-8`` equals ``application/json``."""
    normalized = content_type.replace(" ", "").lower()
    return "application/json" if normalized.startswith("application/json") else normalized


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attribute_name(name: str) -> str:
    # ElementTree spells xlink:href as {http://www.w3.org/1999/xlink}href.
    return name.replace("{http://www.w3.org/1999/xlink}", "xlink:")


def xml_shape(element: Element) -> Shape:
    shape: Shape = {"@": sorted(_attribute_name(a) for a in element.attrib)}
    for child in element:
        merge_into(shape, _local(child.tag), xml_shape(child))
    return shape


def xml_body_shape(body: str) -> Shape:
    root = ET.fromstring(body.encode())
    return {_local(root.tag): xml_shape(root)}


def json_shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: json_shape(item) for key, item in value.items()}
    if isinstance(value, list):
        merged: Shape = {}
        for item in value:
            merge_into(merged, "[]", json_shape(item))
        return merged or {"[]": "empty"}
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return "string"


def merge_into(shape: Shape, key: str, other: Any) -> None:
    """Add ``other`` under ``key``; a key seen twice (a list) keeps the union of both shapes."""
    if key not in shape:
        shape[key] = other
        return
    mine = shape[key]
    if isinstance(mine, dict) and isinstance(other, dict):
        for sub, value in other.items():
            if sub == "@":
                mine["@"] = sorted(set(mine.get("@", [])) | set(value))
            else:
                merge_into(mine, sub, value)
    elif mine != other:
        shape[key] = f"{mine}|{other}" if isinstance(mine, str) and isinstance(other, str) else other


def shape_differences(real: Any, twin: Any, where: str = "") -> list[str]:
    """Human-readable differences between two shapes, real first."""
    if isinstance(real, dict) and isinstance(twin, dict):
        found: list[str] = []
        for key in sorted(set(real) | set(twin)):
            path = f"{where}/{key}" if where else key
            if key == "@":
                if sorted(real.get("@", [])) != sorted(twin.get("@", [])):
                    found.append(f"{path}: attributes {real.get('@', [])} (real) vs {twin.get('@', [])} (twin)")
            elif key not in twin:
                found.append(f"{path}: missing in twin")
            elif key not in real:
                found.append(f"{path}: only in twin")
            else:
                found += shape_differences(real[key], twin[key], path)
        return found
    if real != twin:
        return [f"{where or '/'}: {_describe(real)} (real) vs {_describe(twin)} (twin)"]
    return []


def _describe(shape: Any) -> str:
    return "element/object" if isinstance(shape, dict) else str(shape)


def body_shape(content_type: str, body: str) -> Any:
    """The shape of a recorded or live body, by its content type; None for an empty body."""
    if not body.strip():
        return None
    if "json" in content_type:
        return json_shape(json.loads(body))
    if "xml" in content_type:
        return xml_body_shape(body)
    return "text"


def prestashop_errors(content_type: str, body: str) -> list[tuple[str, str]]:
    """``(code, message)`` pairs of a PrestaShop error answer, XML or JSON."""
    if not body.strip():
        return []
    if "json" in content_type:
        return [(str(e.get("code")), str(e.get("message"))) for e in json.loads(body).get("errors", [])]
    if "xml" not in content_type:
        return []
    root = ET.fromstring(body.encode())
    return [(e.findtext("code") or "", e.findtext("message") or "") for e in root.iter("error")]


def load_known(system: str) -> dict[str, list[str]]:
    """The documented differences of ``system``'s twin, by recorded exchange name."""
    path = FIXTURES / f"known_differences_{system}.json"
    return dict(json.loads(path.read_text())) if path.exists() else {}


def _note_differences(name: str, differences: list[str]) -> None:
    # Refreshing the documented differences after re-recording: FIDELITY_DIFFERENCES_OUT=<file>
    # collects what every case found (JSON lines); a human reviews it before it replaces the list.
    target = os.environ.get("FIDELITY_DIFFERENCES_OUT")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(json.dumps({"name": name, "differences": differences}) + "\n")


def expect_same(name: str, differences: list[str], known: dict[str, list[str]]) -> None:
    """Pass when there is no difference; raise ``TwinDiffers`` when they are exactly the known ones.

    Any other set of differences is a plain AssertionError, so a documented (xfail) case still fails
    loudly when the twin's answer changes in a way nobody has checked against the real system.
    """
    _note_differences(name, differences)
    expected = known.get(name, [])
    if differences == expected and expected:
        raise TwinDiffers("; ".join(differences))
    assert differences == expected, (
        f"{name}: twin differs from the real system:\n  "
        + "\n  ".join(differences)
        + ("\nknown differences were:\n  " + "\n  ".join(expected) if expected else "")
    )
