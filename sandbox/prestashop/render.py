"""Rendering views the way PrestaShop's WebserviceOutputXML / WebserviceOutputJSON do."""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import quoteattr

from sandbox.prestashop.views import AssociationView, EntityView, FieldView, ListView, ResourcesView, WsError

XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">\n'
XML_TAIL = "</prestashop>\n"


def _cdata(value: str) -> str:
    # PrestaShop writes values raw inside CDATA; splitting "]]>" keeps the document well-formed.
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>" if value != "" else ""


class XmlRenderer:
    content_type = "text/xml;charset=utf-8"

    def __init__(self, ws_url: str, schema: str | None = None) -> None:
        self.ws_url = ws_url  # ends with /api/
        self.schema = schema

    def _field(self, f: FieldView) -> str:
        attrs = ""
        if self.schema != "blank":
            if f.xlink and isinstance(f.value, str) and f.value not in ("", "0"):
                attrs += f" xlink:href={quoteattr(self.ws_url + f.xlink + '/' + f.value)}"
            if f.not_filterable:
                attrs += ' notFilterable="true"'
            if self.schema == "synopsis":
                attrs += ' required="true"' if f.required else ""
                attrs += ' read_only="true"' if f.read_only else ""
        if isinstance(f.value, dict):
            links = f.language_links and self.schema != "blank"
            inner = "".join(
                f'<language id="{lang}"'
                + (f' xlink:href="{self.ws_url}languages/{lang}"' if links else "")
                + f">{_cdata(text)}</language>"
                for lang, text in sorted(f.value.items())
            )
            return f"\t<{f.name}{attrs}>{inner}</{f.name}>\n"
        return f"\t<{f.name}{attrs}>{_cdata(f.value)}</{f.name}>\n"

    def _entity(self, entity: EntityView) -> str:
        out = [f"<{entity.node}>\n"]
        out += [self._field(f) for f in entity.fields]
        if entity.associations:
            out.append("<associations>\n")
            for assoc in entity.associations:
                out += self._association(assoc)
            out.append("</associations>\n")
        out.append(f"</{entity.node}>\n")
        return "".join(out)

    def _association(self, assoc: AssociationView) -> list[str]:
        a = assoc.association
        links = self.schema != "blank"
        # A virtual entity (order_rows) is no resource: its rows carry no link, some of their fields do.
        kind = 'virtualEntity="true"' if a.virtual else f'api="{a.api}"'
        out = [f"<{a.name}" + (f' nodeType="{a.node}" {kind}' if links else "") + ">\n"]
        field_links = dict(a.field_xlinks)
        for row in assoc.rows:
            link_id = row[0][1] if row else ""
            href = f" xlink:href={quoteattr(self.ws_url + a.api + '/' + link_id)}" if links and link_id else ""
            out.append(f"\t<{a.node}{'' if a.virtual else href}>\n")
            for name, value in row:
                target = field_links.get(name) if links else None
                attr = f" xlink:href={quoteattr(self.ws_url + target + '/' + value)}" if target else ""
                out.append(f"\t<{name}{attr}>{_cdata(value)}</{name}>\n")
            out.append(f"\t</{a.node}>\n")
        out.append(f"</{a.name}>\n")
        return out

    def render(self, view: EntityView | ListView | ResourcesView | list[EntityView]) -> bytes:
        if isinstance(view, list):
            body = "".join(self._entity(e) for e in view)
        elif isinstance(view, EntityView):
            body = self._entity(view)
        elif isinstance(view, ListView):
            items = (
                [self._entity(e) for e in view.entities]
                if view.full
                else [
                    f'<{view.node} id="{e.entity_id}" xlink:href="{self.ws_url}{view.resource}/{e.entity_id}"/>\n'
                    for e in view.entities
                ]
            )
            body = f"<{view.resource}>\n" + "".join(items) + f"</{view.resource}>\n"
        else:
            body = '<api shopName="prestasync sandbox">\n'
            for name, methods in sorted(view.permissions.items()):
                flags = " ".join(f'{m.lower()}="true"' for m in methods)
                href = f'xlink:href="{self.ws_url}{name}"'
                # images is served by a specific management class: the real /api/ gives it no schemas.
                schemas = (
                    ""
                    if name == "images"
                    else f'<schema type="blank" xlink:href="{self.ws_url}{name}?schema=blank"/>\n'
                    f'<schema type="synopsis" xlink:href="{self.ws_url}{name}?schema=synopsis"/>\n'
                )
                description = f"<description {href} {flags}>{name}</description>\n"
                body += f"<{name} {href} {flags}>\n{description}{schemas}</{name}>\n"
            body += "</api>\n"
        return (XML_HEAD + body + XML_TAIL).encode("utf-8")

    def render_errors(self, errors: list[WsError]) -> bytes:
        items = "".join(
            f"<error>\n<code>{_cdata(str(e.code))}</code>\n<message>{_cdata(e.message)}</message>\n</error>\n"
            for e in errors
        )
        return (XML_HEAD + "<errors>\n" + items + "</errors>\n" + XML_TAIL).encode("utf-8")


class JsonRenderer:
    """``WebserviceOutputJSON`` (8.1): a multilingual field is ``[{"id": 1, "value": ".."}, ...]`` (a plain
    string when the shop has one language); integer fields are numbers; an entity read without ``display``
    goes through ``array_filter``, which drops every falsy field ("", "0", 0, null); with ``display`` it is
    listed under the plural node, unfiltered. Empty associations are never written."""

    content_type = "application/json"

    def __init__(self, display: bool = False, resource: str = "") -> None:
        self.display = display  # ``display`` was in the query string
        self.resource = resource  # the plural node entities are listed under when ``display`` is given

    @staticmethod
    def _scalar(text: str, number: bool) -> Any:
        if number and text.lstrip("-").isdigit():
            return int(text)
        return None if number and text == "" else text

    def _value(self, f: FieldView) -> Any:
        if isinstance(f.value, dict):
            if len(f.value) == 1:
                return next(iter(f.value.values()))
            return [{"id": lang, "value": text} for lang, text in sorted(f.value.items())]
        if f.value == "" and f.json_empty is not None:
            return f.json_empty[0]
        return self._scalar(f.value, f.number)

    def _entity(self, entity: EntityView, filtered: bool) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for f in entity.fields:
            data[f.name] = entity.entity_id if f.name == "id" else self._value(f)
        associations = {
            a.association.name: [
                {name: self._scalar(value, name in a.numbers) for name, value in row} for row in a.rows
            ]
            for a in entity.associations
            if a.rows
        }
        if associations:
            data["associations"] = associations
        if filtered:  # PHP array_filter: "", "0", 0, null and empty arrays are falsy
            data = {k: v for k, v in data.items() if v not in ("", "0", 0, None, [], {})}
        return data

    def render(self, view: EntityView | ListView | ResourcesView | list[EntityView]) -> bytes:
        payload: Any
        if isinstance(view, EntityView):
            view = [view]
        if isinstance(view, list):
            if not view:
                payload = []
            elif self.display:
                payload = {self.resource or view[0].node: [self._entity(e, False) for e in view]}
            else:  # each entity is written to the same key: the last one stays
                payload = {view[-1].node: self._entity(view[-1], True)}
        elif isinstance(view, ListView):
            if not view.entities:
                payload = []  # PrestaShop's JSON renderer leaves its content array empty
            elif view.full:
                payload = {view.resource: [self._entity(e, False) for e in view.entities]}
            else:
                payload = {view.resource: [{"id": e.entity_id} for e in view.entities]}
        else:
            payload = {"api": {name: {m.lower(): True for m in ms} for name, ms in view.permissions.items()}}
        return json.dumps(payload, ensure_ascii=False).encode("utf-8")

    def render_errors(self, errors: list[WsError]) -> bytes:
        payload = {"errors": [{"code": e.code, "message": e.message} for e in errors]}
        return json.dumps(payload, ensure_ascii=False).encode("utf-8")
