"""PrestaShop's side of the recorder: the call shape of a Webservice request, and the normaliser.

Call shape: ``{"http_method", "resource", "form"}``. ``resource`` is the first path segment
(``images/products`` for the image API, ``<root>`` for ``/api/``); ``form`` spells what the
shop's dispatcher reads besides values: ``detail`` (an id in the path) or ``list``, the query keys
(``display``/``output_format``/``sendemail`` with their value, ``filter[field]`` and ``sort``
without), and for a write the XML body's node and fields (``xml:stock_available(id,quantity)``;
a multilingual field is ``name[lang]``; a PUT's body is the resource as read: ``(as read)``), e.g.
``{"http_method": "PATCH", "resource": "stock_availables", "form": "detail xml:stock_available(id,quantity)"}``.

Normaliser: the recording host becomes ``http://shop.example``; every id of a row the run can
create or that differs between two shops (products, combinations, orders, ...) becomes
``$id:<resource>:<n>`` (n = order of first appearance of that id of that resource in the run),
wherever it appears: path, ``filter[...]`` values, XML fields (``<id_product>``), ``xlink:href``
URLs, JSON fields. Shop configuration ids (shop, language, order states, groups, carriers,
currencies) stay as they are: a fresh shop has the same. Answer dates become ``$datetime`` /
``$date``; secure keys and password hashes ``$secret``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any
from xml.etree import ElementTree

import defusedxml.ElementTree as SafeET

from tests.real.recorder import MASK, Normaliser, normalise_dates

SYSTEM = "prestashop"
HOST = "http://shop.example"

# node (XML element / JSON object name) -> resource
NODES = {
    "product": "products",
    "combination": "combinations",
    "order": "orders",
    "order_history": "order_histories",
    "order_carrier": "order_carriers",
    "stock_available": "stock_availables",
    "specific_price": "specific_prices",
    "customer": "customers",
    "address": "addresses",
    "cart": "carts",
    "image": "images",
    "order_invoice": "order_invoices",
    "order_payment": "order_payments",
    "order_detail": "order_details",
    "product_option": "product_options",
    "product_option_value": "product_option_values",
}
RESOURCES = frozenset(NODES.values())
# id fields -> the resource they name (only the volatile ones; configuration ids stay literal)
FIELDS = {
    "id_product": "products",
    "id_product_attribute": "combinations",
    "id_order": "orders",
    "id_order_history": "order_histories",
    "id_order_carrier": "order_carriers",
    "id_stock_available": "stock_availables",
    "id_specific_price": "specific_prices",
    "id_customer": "customers",
    "id_address_delivery": "addresses",
    "id_address_invoice": "addresses",
    "id_cart": "carts",
    "id_order_invoice": "order_invoices",
    "id_default_image": "images",
    "id_image": "images",
    "product_id": "products",
    "product_attribute_id": "combinations",
    "id_default_combination": "combinations",
    "id_attribute_group": "product_options",
}
# association name -> the resource of its items' ids
ASSOCIATIONS = {
    "combinations": "combinations",
    "stock_availables": "stock_availables",
    "images": "images",
    "order_rows": "order_details",
    "product_option_values": "product_option_values",
}
# association item element -> resource (XML answers: ``<order_rows><order_row><id>``)
ITEMS = {"order_row": "order_details"}
SECRET_FIELDS = ("secure_key", "passwd")
SHOWN_VALUES = ("display", "output_format", "io_format", "sendemail", "schema", "ps_method")
_PLACEHOLDER = re.compile(r"^\$id:([a-z_/]+):(\d+)$")
_DATETIME = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"
_PHP_PATH = re.compile(r"\(/[^()<>]*?/(classes|src|modules|config|controllers|vendor)/")
_IMAGE_HREF = re.compile(r"(/api/images/products/)(\d+)(?:/(\d+))?")
_HREF = re.compile(r"(/api/)([a-z_]+)/(\d+)")
_CDATA_OR_TEXT = r"(?:<!\[CDATA\[(?P<c>[^\]]*)\]\]>|(?P<t>[^<]*))"


# -- call shape -------------------------------------------------------------------------------
def _segments(path: str) -> list[str]:
    rest = path.split("/api", 1)[1] if "/api" in path else path
    return [s for s in rest.strip("/").split("/") if s]


def _query_form(query: Mapping[str, Any]) -> list[str]:
    words = []
    for key in sorted(query):
        if key in ("ws_key",):
            continue
        values = query[key] if isinstance(query[key], list) else [query[key]]
        words.append(f"{key}={values[-1]}" if key in SHOWN_VALUES else key)
    return words


def _xml_form(text: str) -> str:
    try:
        root = SafeET.fromstring(text.encode())
    except (ElementTree.ParseError, ValueError):
        return "body:unreadable-xml"
    node = next(iter(root), None)
    if node is None:
        return f"xml:{root.tag}()"
    fields = []
    for child in node:
        if child.tag == "associations":
            fields += [f"associations/{a.tag}" for a in child]
        elif any(c.tag == "language" for c in child):
            fields.append(f"{child.tag}[lang]")
        else:
            fields.append(child.tag)
    return f"xml:{node.tag}({','.join(sorted(fields))})"


def call_shape(request: Mapping[str, Any]) -> dict[str, Any]:
    """The (method, resource, argument form) of one request, as the shop's dispatcher reads it."""
    segments = _segments(str(request.get("path") or ""))
    method = str(request.get("method") or "GET")
    query = request.get("query") or {}
    method = str((query.get("ps_method") or [method])[-1]).upper() if "ps_method" in query else method
    if not segments:
        resource, rest = "<root>", []
    elif segments[0] == "images" and len(segments) > 1 and not segments[1].isdigit():
        resource, rest = f"images/{segments[1]}", segments[2:]
    else:
        resource, rest = segments[0], segments[1:]
    words = ["detail" if rest else "list"] if resource != "<root>" else []
    words += _query_form(query)
    text = request.get("text")
    content_type = str((request.get("headers") or {}).get("content-type", ""))
    if content_type.startswith("multipart/"):
        words.append("multipart:" + ",".join(sorted(set(re.findall(r'(?<!file)name="([^"]+)"', str(text or ""))))))
    elif text and method == "PUT":
        # GET-modify-PUT: the whole resource as the shop answered the GET (its fields are the shop's,
        # not the sink's choice), the sink's changes inside
        words.append(re.sub(r"\(.*\)$", "(as read)", _xml_form(str(text))))
    elif text:
        words.append(_xml_form(str(text)))
    return {"http_method": method, "resource": resource, "form": " ".join(words)}


def slug(shape: Mapping[str, Any]) -> str:
    resource = str(shape["resource"]).strip("<>").replace("/", "_")
    kind = "detail" if str(shape["form"]).startswith("detail") else "list"
    return f"{str(shape['http_method']).lower()}_{resource}" + ("_id" if kind == "detail" else "")


# -- normaliser -------------------------------------------------------------------------------
class PrestaShopIds:
    """Real id <-> ``$id:<resource>:<n>``, numbered by first appearance per resource; 0 stays 0."""

    def __init__(self) -> None:
        self.to_placeholder: dict[tuple[str, str], str] = {}
        self.count: dict[str, int] = {}

    def __call__(self, value: Any, resource: str | None) -> Any:
        text = str(value).strip()
        if resource is None or isinstance(value, bool) or not text.isdigit() or int(text) == 0:
            return value
        key = (resource, str(int(text)))
        if key not in self.to_placeholder:
            self.count[resource] = self.count.get(resource, 0) + 1
            self.to_placeholder[key] = f"$id:{resource}:{self.count[resource]}"
        return self.to_placeholder[key]


class PrestaShopNormaliser(Normaliser):
    def __init__(self) -> None:
        self.ids = PrestaShopIds()

    # -- paths and queries --
    def path(self, path: str) -> str:
        segments = path.split("/")
        for i in range(1, len(segments)):
            resource = segments[i - 1]
            if segments[i].isdigit() and resource in RESOURCES:
                segments[i] = str(self.ids(segments[i], resource))
            elif segments[i].isdigit() and i >= 2 and segments[i - 2] == "images" and resource == "products":
                segments[i] = str(self.ids(segments[i], "products"))
            elif segments[i].isdigit() and i >= 3 and segments[i - 3] == "images":
                segments[i] = str(self.ids(segments[i], "images"))
        return "/".join(segments)

    def query(self, query: Mapping[str, list[str]], resource: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key, values in query.items():
            field = key[len("filter[") : -1] if key.startswith("filter[") and key.endswith("]") else None
            target = resource if field == "id" else FIELDS.get(field or "")
            if target:
                out[key] = [self._filter_value(v, target) for v in values]
            else:
                out[key] = list(values)
        return out

    def _filter_value(self, value: str, resource: str) -> str:
        match = re.fullmatch(r"\[([^\]]*)\]", value)
        if not match:
            return value
        parts = [str(self.ids(p, resource)) for p in match.group(1).split("|")]
        return "[" + "|".join(parts) + "]"

    # -- XML --
    def xml(self, text: str, answer: bool) -> str:
        text = text.replace("http://127.0.0.1", HOST)
        text = _PHP_PATH.sub(r"(<ps_root>/\1/", text)  # PHP warnings name the shop's files
        text = re.sub(r"http://shop\.example:\d+", HOST, text)

        def field(match: re.Match[str]) -> str:
            tag, attrs = match.group("tag"), match.group("attrs") or ""
            value = match.group("c") if match.group("c") is not None else match.group("t")
            resource = self._id_owner(text, match.start()) if tag == "id" else FIELDS.get(tag)
            new = value
            if resource:
                new = str(self.ids(value, resource))
            elif tag in SECRET_FIELDS and value:
                new = MASK
            elif answer and re.fullmatch(_DATETIME, value or ""):
                new = "$datetime"
            if new == value:
                return match.group(0)
            inner = f"<![CDATA[{new}]]>" if match.group("c") is not None else new
            return f"{match.group('depth')}<{tag}{attrs}>{inner}</{tag}>"

        text = re.sub(
            r"(?P<depth>\s*)<(?P<tag>[a-z_]+)(?P<attrs>\s[^>]*)?>" + _CDATA_OR_TEXT + r"</(?P=tag)>", field, text
        )
        text = _IMAGE_HREF.sub(
            lambda m: (
                m.group(1)
                + str(self.ids(m.group(2), "products"))
                + ("/" + str(self.ids(m.group(3), "images")) if m.group(3) else "")
            ),
            text,
        )
        text = re.sub(
            r'<(image|declination) id="(\d+)"',
            lambda m: (
                f'<{m.group(1)} id="'
                + str(self.ids(m.group(2), "products" if m.group(1) == "image" else "images"))
                + '"'
            ),
            text,
        )
        return _HREF.sub(
            lambda m: (
                m.group(1)
                + m.group(2)
                + "/"
                + str(self.ids(m.group(3), m.group(2) if m.group(2) in RESOURCES else None))
            ),
            text,
        )

    def _id_owner(self, text: str, position: int) -> str | None:
        """The resource of an ``<id>`` nested in an association item (``<combination><id>``)."""
        opened = re.search(r"<([a-z_]+)(?:\s[^>]*)?>\s*$", text[max(0, position - 400) : position])
        parent = opened.group(1) if opened else ""
        return NODES.get(parent) or ITEMS.get(parent)

    # -- JSON --
    def json(self, value: Any, resource: str | None) -> Any:
        if isinstance(value, list):
            return [self.json(v, resource) for v in value]
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key == "id":
                out[key] = self.ids(item, resource)
            elif key in FIELDS:
                out[key] = self.ids(item, FIELDS[key])
            elif key in SECRET_FIELDS and item:
                out[key] = MASK
            elif key == "associations" and isinstance(item, dict):
                out[key] = {name: self.json(items, ASSOCIATIONS.get(name)) for name, items in item.items()}
            elif key in RESOURCES and isinstance(item, list):
                out[key] = self.json(item, key)
            elif key in NODES and isinstance(item, dict):
                out[key] = self.json(item, NODES[key])
            else:
                out[key] = self.json(item, None) if isinstance(item, dict | list) else item
        return out

    # -- requests and answers --
    def request(self, request: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(request)
        segments = _segments(str(out.get("path") or ""))
        resource = segments[0] if segments else ""
        out["path"] = self.path(str(out.get("path") or ""))
        out["query"] = self.query(out.get("query") or {}, resource)
        text = out.get("text")
        content_type = str((out.get("headers") or {}).get("content-type", ""))
        if content_type.startswith("multipart/") and text is not None:
            names = sorted(set(re.findall(r'filename="([^"]+)"', str(text))))
            out["text"] = f"<multipart: {', '.join(names)} ({len(str(text))} characters)>"
            out["headers"] = {**out["headers"], "content-type": "multipart/form-data"}
        elif text:
            out["text"] = self.xml(str(text), answer=False)
        return out

    def response(self, request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(response)
        segments = _segments(str(request.get("path") or ""))
        resource = segments[0] if segments else None
        if out.get("json") is not None:
            out["json"] = normalise_dates(self.json(out["json"], resource))
        elif out.get("text"):
            text = str(out["text"])
            if "image/" in str((out.get("headers") or {}).get("content-type", "")):
                out["text"] = f"<image: {len(text)} characters>"
            else:
                out["text"] = self.xml(text, answer=True)
        return out


def fill(text: str, ids: Mapping[str, str]) -> str:
    """A normalised path/query/body made sendable: every ``$id:...`` by the other shop's id."""

    def one(match: re.Match[str]) -> str:
        if match.group(0) not in ids:
            raise KeyError(f"{match.group(0)} is used before any answer named it")
        return ids[match.group(0)]

    return re.sub(r"\$id:[a-z_/]+:\d+", one, text)


def placeholder(value: Any) -> bool:
    return isinstance(value, str) and bool(_PLACEHOLDER.match(value))


class PrestaShopProfile:
    system = SYSTEM

    def call_shape(self, request: Mapping[str, Any]) -> dict[str, Any]:
        return call_shape(request)

    def slug(self, shape: Mapping[str, Any]) -> str:
        return slug(shape)

    def normaliser(self) -> PrestaShopNormaliser:
        return PrestaShopNormaliser()
