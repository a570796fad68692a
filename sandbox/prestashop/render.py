"""Rendering views the way PrestaShop's WebserviceOutputXML / WebserviceOutputJSON do."""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import quoteattr

from sandbox.prestashop.views import EntityView, FieldView, ListView, ResourcesView, WsError

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
            inner = "".join(
                f'<language id="{lang}"'
                + ("" if self.schema == "blank" else f' xlink:href="{self.ws_url}languages/{lang}"')
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
                a = assoc.association
                extra = "" if self.schema == "blank" else f' nodeType="{a.node}" api="{a.api}"'
                out.append(f"<{a.name}{extra}>\n")
                for row in assoc.rows:
                    link_id = row[0][1] if row else ""
                    href = (
                        f" xlink:href={quoteattr(self.ws_url + a.api + '/' + link_id)}"
                        if self.schema != "blank" and link_id
                        else ""
                    )
                    out.append(f"\t<{a.node}{href}>\n")
                    out += [f"\t<{name}>{_cdata(value)}</{name}>\n" for name, value in row]
                    out.append(f"\t</{a.node}>\n")
                out.append(f"</{a.name}>\n")
            out.append("</associations>\n")
        out.append(f"</{entity.node}>\n")
        return "".join(out)

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
                body += (
                    f"<{name} {href} {flags}>\n<description {href} {flags}>{name}</description>\n"
                    f'<schema type="blank" xlink:href="{self.ws_url}{name}?schema=blank"/>\n'
                    f'<schema type="synopsis" xlink:href="{self.ws_url}{name}?schema=synopsis"/>\n'
                    f"</{name}>\n"
                )
            body += "</api>\n"
        return (XML_HEAD + body + XML_TAIL).encode("utf-8")

    def render_errors(self, errors: list[WsError]) -> bytes:
        items = "".join(
            f"<error>\n<code>{_cdata(str(e.code))}</code>\n<message>{_cdata(e.message)}</message>\n</error>\n"
            for e in errors
        )
        return (XML_HEAD + "<errors>\n" + items + "</errors>\n" + XML_TAIL).encode("utf-8")


class JsonRenderer:
    content_type = "application/json"

    def _value(self, value: str | dict[int, str]) -> Any:
        if isinstance(value, dict):
            if len(value) == 1:
                return next(iter(value.values()))
            return [{"id": str(lang), "value": text} for lang, text in sorted(value.items())]
        return value

    def _entity(self, entity: EntityView) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for f in entity.fields:
            data[f.name] = entity.entity_id if f.name == "id" else self._value(f.value)
        if entity.associations:
            data["associations"] = {a.association.name: [dict(row) for row in a.rows] for a in entity.associations}
        return data

    def render(self, view: EntityView | ListView | ResourcesView | list[EntityView]) -> bytes:
        payload: Any
        if isinstance(view, list):
            payload = {view[0].node: self._entity(view[0])} if len(view) == 1 else [self._entity(e) for e in view]
        elif isinstance(view, EntityView):
            payload = {view.node: self._entity(view)}
        elif isinstance(view, ListView):
            if not view.entities:
                payload = []  # PrestaShop's JSON renderer leaves its content array empty
            elif view.full:
                payload = {view.resource: [self._entity(e) for e in view.entities]}
            else:
                payload = {view.resource: [{"id": e.entity_id} for e in view.entities]}
        else:
            payload = {"api": {name: {m.lower(): True for m in ms} for name, ms in view.permissions.items()}}
        return json.dumps(payload, ensure_ascii=False).encode("utf-8")

    def render_errors(self, errors: list[WsError]) -> bytes:
        payload = {"errors": [{"code": e.code, "message": e.message} for e in errors]}
        return json.dumps(payload, ensure_ascii=False).encode("utf-8")
