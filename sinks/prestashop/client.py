"""PrestaShop Webservice client: XML writes, JSON reads, one Session, errors classified at the edge.

Protocol facts (see docs/SINKS.md and the Webservice docs): the API key is the Basic-auth user name
with an empty password; input is XML only, output may be JSON (``output_format=JSON``); a full
update is PUT of the whole resource (GET-modify-PUT), PATCH with only the changed fields exists from
8.0; the server's version is in the ``PSWS-Version`` answer header (sent once authenticated).
Every failure leaves this module as a :class:`TransientError` or :class:`TerminalError`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TypeVar

import requests

from sinks.common.errors import TerminalError, TransientError, redact
from sinks.prestashop import wire
from sinks.prestashop.errors import PRESTASHOP_STATUS_POLICY
from sinks.prestashop.mapping import Associations, FieldValue, xml_payload
from sinks.prestashop.wire import Entity, MalformedBody

# Fields a GET returns but a PUT must not send back: read-only ones (PrestaShop answers 400, code 93), and
# position_in_category, whose setter fails on a real 8.1.2 even with the value read ("Trying to access
# array offset on value of type null", Product.php; 500: tests/fixtures/real/prestashop-8.1.2/put_before_8).
READ_ONLY_FIELDS: Mapping[str, frozenset[str]] = {
    "products": frozenset({"manufacturer_name", "quantity", "position_in_category"})
}
_FILTER_SPECIALS = "[]|,%"
PATCH_SINCE = (8, 0)
T = TypeVar("T")


@dataclass(frozen=True)
class Answer:
    """A successful (2xx/3xx) answer and the request it answers (secrets removed), for error reports."""

    status: int
    content: bytes
    request_text: str


def parse_version(text: str | None) -> tuple[int, ...] | None:
    """``"8.1.2"`` -> ``(8, 1, 2)``; None when absent or unreadable."""
    parts = (text or "").strip().split(".")
    numbers = [int(p) for p in parts if p.isdigit()]
    return tuple(numbers) if numbers and len(numbers) == len(parts) else None


def filter_param(value: str | int) -> str:
    """A ``filter[...]`` value that matches ``value`` (and maybe more: callers keep exact matches).

    The filter grammar gives ``[ ] | , %`` a meaning and has no escape; a value holding one is
    searched by its prefix (``[prefix]%``).
    """
    text = str(value)
    cut = min((text.index(c) for c in _FILTER_SPECIALS if c in text), default=len(text))
    return f"[{text}]" if cut == len(text) else f"[{text[:cut]}]%"


class PrestaShopClient:
    def __init__(
        self,
        api_url: str,
        api_key: str,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        create_grace: float = 60.0,
        version: str | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self._key = api_key
        self._timeout = (connect_timeout, read_timeout)
        self._create_grace = create_grace
        self._session = session or requests.Session()
        self._session.auth = (api_key, "")
        self._version_override = parse_version(version)
        self._seen_version: tuple[int, ...] | None = None
        self._exchange = threading.local()  # handlers share the client across worker threads

    # -- version -----------------------------------------------------------------------
    @property
    def version(self) -> tuple[int, ...]:
        """The server version (configured override, else PSWS-Version; probed with GET /api/ once)."""
        if self._version_override is not None:
            return self._version_override
        if self._seen_version is None:
            self._request("GET", "")
        if self._seen_version is None:
            raise TerminalError("prestashop: the server sent no PSWS-Version header", request=f"GET {self.api_url}/")
        return self._seen_version

    @property
    def supports_patch(self) -> bool:
        return self.version >= PATCH_SINCE

    def probe(self) -> tuple[int, ...]:
        """Check the key against the server; returns the version the server announced."""
        self._request("GET", "")
        return self.version

    # -- reads (JSON) -----------------------------------------------------------------
    def get(self, resource: str, node: str, entity_id: int) -> Entity:
        response = self._request("GET", f"{resource}/{entity_id}", params={"output_format": "JSON"})
        return self._read(response, lambda r: wire.json_detail(wire.parse_json(r.content), node))

    def find(
        self,
        resource: str,
        filters: Mapping[str, str | int],
        *,
        display: str = "full",
        sort: str | None = None,
        ignore_case: Collection[str] = (),
    ) -> list[Entity]:
        """Entities whose fields equal ``filters`` exactly (the filter grammar does the rough cut);
        the fields in ``ignore_case`` are compared as the shop's collation does, without case."""
        params = {"output_format": "JSON", "display": display}
        for name, value in filters.items():
            params[f"filter[{name}]"] = filter_param(value)
        if sort:
            params["sort"] = sort
        response = self._request("GET", resource, params=params)
        found = self._read(response, lambda r: wire.json_list(wire.parse_json(r.content), resource))

        # Prefix searches and the shop's case-insensitive collation over-match; natural keys are exact.
        # A multilingual field (``{id_lang: text}``) matches when one of its languages holds the value.
        def same(name: str, have: object, want: object) -> bool:
            if isinstance(have, dict):
                return any(same(name, text, want) for text in have.values())
            return str(have).casefold() == str(want).casefold() if name in ignore_case else str(have) == str(want)

        return [e for e in found if all(same(k, e.get(k, ""), v) for k, v in filters.items())]

    def find_one(
        self, resource: str, filters: Mapping[str, str | int], *, ignore_case: Collection[str] = ()
    ) -> Entity | None:
        """The entity with these natural-key values (the lowest id if the shop holds duplicates)."""
        found = sorted(self.find(resource, filters, ignore_case=ignore_case), key=lambda e: int(e.get("id") or 0))
        return found[0] if found else None

    # -- writes (XML) -----------------------------------------------------------------
    def create(
        self,
        resource: str,
        node: str,
        fields: Mapping[str, FieldValue],
        params: Mapping[str, str] | None = None,
        associations: Associations | None = None,
    ) -> Entity:
        """POST a new entity (no id); returns it as stored."""
        response = self._request("POST", resource, params=params, data=xml_payload(node, fields, associations))
        return self._read(response, lambda r: wire.xml_entity(r.content, node))

    def update(
        self,
        resource: str,
        node: str,
        entity_id: int,
        changes: Mapping[str, FieldValue],
        params: Mapping[str, str] | None = None,
        associations: Associations | None = None,
    ) -> Entity:
        """Write ``changes`` on one entity: PATCH on 8.0+, else GET the XML, modify it and PUT it. An
        association given replaces that association's list (a real 8.1.2 PATCH keeps the fields not sent)."""
        if self.supports_patch:
            body = wire.patch_document(node, entity_id, changes, associations)
            response = self._request("PATCH", f"{resource}/{entity_id}", params=params, data=body)
        else:
            current = self._request("GET", f"{resource}/{entity_id}")
            read_only = READ_ONLY_FIELDS.get(resource, frozenset())
            body = self._read(current, lambda r: wire.put_document(r.content, node, changes, read_only, associations))
            response = self._request("PUT", f"{resource}/{entity_id}", params=params, data=body)
        return self._read(response, lambda r: wire.xml_entity(r.content, node))

    def refuse(self, reason: str) -> TerminalError:
        """A terminal error for a command the shop's answers rule out (e.g. an unknown reference),
        carrying this thread's last request and answer for the dead letter."""
        request, response = getattr(self._exchange, "last", ("", ""))
        return TerminalError(f"prestashop: {reason}", request=request, response=response)

    def close(self) -> None:
        self._session.close()

    # -- transport ----------------------------------------------------------------------
    def _request(
        self, method: str, path: str, *, params: Mapping[str, str] | None = None, data: bytes | None = None
    ) -> Answer:
        url = f"{self.api_url}/{path}"
        request_text = self._describe(method, url, params, data)
        headers = {"Content-Type": "text/xml"} if data is not None else None
        try:
            response = self._session.request(
                method, url, params=params, data=data, headers=headers, timeout=self._timeout
            )
        except requests.ReadTimeout as exc:
            # The request was sent: a POST may still be creating its row. The retry looks the record up
            # first; waiting the grace lets it see a late write instead of creating a duplicate.
            grace = self._create_grace if method == "POST" else None
            raise TransientError(
                f"prestashop: no answer within {self._timeout[1]}s",
                retry_after=grace,
                request=request_text,
                response=type(exc).__name__,
            ) from exc
        except requests.Timeout as exc:  # no connection made: nothing was sent
            raise TransientError(
                f"prestashop: no connection within {self._timeout[0]}s",
                request=request_text,
                response=type(exc).__name__,
            ) from exc
        except requests.RequestException as exc:
            raise TransientError(
                f"prestashop: connection failed ({type(exc).__name__})",
                request=request_text,
                response=redact(str(exc), (self._key,)),
            ) from exc
        seen = parse_version(response.headers.get("PSWS-Version"))
        if seen is not None and any(seen):  # a refused key is answered with "PSWS-Version: 0"
            self._seen_version = seen
        body = redact(response.content.decode("utf-8", errors="replace"), (self._key,))
        error = PRESTASHOP_STATUS_POLICY.classify(response.status_code, response.headers, body, request=request_text)
        if error is not None:
            details = wire.error_messages(response.content)
            if details:
                error.reason += " — " + "; ".join(details)
                error.args = (error.reason,)
            raise error
        answer = Answer(response.status_code, response.content, request_text)
        self._exchange.last = (request_text, f"HTTP {response.status_code}\n{body}")
        return answer

    def _read(self, answer: Answer, parse: Callable[[Answer], T]) -> T:
        """``parse(answer)``; an unreadable success body is transient (the write may have happened)."""
        try:
            return parse(answer)
        except MalformedBody as exc:
            raise TransientError(
                f"prestashop: malformed answer ({exc})",
                request=answer.request_text,
                response=f"HTTP {answer.status}\n"
                + redact(answer.content.decode("utf-8", errors="replace"), (self._key,)),
            ) from exc

    def _describe(self, method: str, url: str, params: Mapping[str, str] | None, data: bytes | None) -> str:
        query = "&".join(f"{k}={v}" for k, v in (params or {}).items())
        text = f"{method} {url}" + (f"?{query}" if query else "")
        if data is not None:
            text += "\n" + data.decode("utf-8", errors="replace")
        return redact(text, (self._key,))
