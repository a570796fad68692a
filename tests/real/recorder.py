"""Record what a sink's API client sends and what the real system answers, as replayable fixtures.

A :class:`Recorder` hangs on a ``requests.Session`` (``session.hooks['response']``; both sink
clients take a session) and writes every exchange to
``tests/fixtures/real/<system>-<version>/<scenario>/NNN_<shape>.json``::

    {"system", "version", "scenario", "seq",
     "call_shape": {...},                       # per system: tests/real/<system>_shape.py
     "request":  {"method", "path", "query", "headers", "json" | "text"},
     "response": {"status", "headers", "json" | "text"}}

Before anything is written, secrets are masked (every value given in ``secrets``, Authorization
headers, secret-looking query parameters; cookies are never kept) and the system's
:class:`Normaliser` replaces volatile values (ids, dates, sequence names) by placeholders, so two
recordings of one scenario diff cleanly and a replay can bind its own ids. ``call_shape`` is
computed from the request *as sent* (before normalisation: an id placeholder must not turn an
``int`` argument into a ``str``).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

import requests

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "real"

# Headers worth keeping: what a client or a test reads. Cookies and dates are never kept.
REQUEST_HEADERS = ("content-type", "accept", "authorization", "x-odoo-database", "io-format", "output-format")
RESPONSE_HEADERS = (
    "content-type",
    "location",
    "retry-after",
    "psws-version",
    "www-authenticate",
    "content-disposition",
    "x-odoo-server",
)
SECRET_QUERY = re.compile(r"(?i)^(ws_key|key|api_key|apikey|password|passwd|token|access_token)$")
MASK = "$secret"

_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Json = Any


class Normaliser(Protocol):
    """Per system and per recording (it carries state: the ids seen so far)."""

    def request(self, request: dict[str, Any]) -> dict[str, Any]: ...

    def response(self, request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]: ...


class Profile(Protocol):
    """What a system contributes: its call shape, the fixture file slug, a fresh normaliser."""

    system: str

    def call_shape(self, request: Mapping[str, Any]) -> dict[str, Any]: ...

    def slug(self, shape: Mapping[str, Any]) -> str: ...

    def normaliser(self) -> Normaliser: ...


# -- building and cleaning exchanges ---------------------------------------------------------
def _body(raw: bytes | str | None) -> tuple[Json, str | None]:
    if raw is None or raw == b"" or raw == "":
        return None, None
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        return json.loads(text), None
    except ValueError:
        return None, text


def request_dict(prepared: requests.PreparedRequest) -> dict[str, Any]:
    url = urlsplit(prepared.url or "")
    raw = prepared.body if isinstance(prepared.body, bytes | str) else None
    body_json, text = _body(raw)
    headers = {k.lower(): v for k, v in prepared.headers.items() if k.lower() in REQUEST_HEADERS}
    return {
        "method": prepared.method,
        "path": url.path,
        "query": parse_qs(url.query, keep_blank_values=True),
        "headers": headers,
        "json": body_json,
        "text": text,
    }


def response_dict(response: requests.Response) -> dict[str, Any]:
    body_json, text = _body(response.content)
    headers = {k.lower(): v for k, v in response.headers.items() if k.lower() in RESPONSE_HEADERS}
    return {"status": response.status_code, "headers": headers, "json": body_json, "text": text}


def walk_strings(value: Json, change: Callable[[str], Any]) -> Json:
    """``value`` with every string (dict keys excepted) replaced by ``change(string)``."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [walk_strings(v, change) for v in value]
    if isinstance(value, dict):
        return {k: walk_strings(v, change) for k, v in value.items()}
    return value


def masker(secrets: Mapping[str, str]) -> Callable[[str], str]:
    """Replace each secret value (longest first) by its placeholder inside any string."""
    pairs = sorted(((v, p) for v, p in secrets.items() if v), key=lambda vp: -len(vp[0]))

    def mask(text: str) -> str:
        for value, placeholder in pairs:
            text = text.replace(value, placeholder)
        return text

    return mask


def mask_exchange(part: dict[str, Any], secrets: Mapping[str, str]) -> dict[str, Any]:
    mask = masker(secrets)
    out = dict(part)
    headers = dict(out.get("headers") or {})
    if "authorization" in headers:
        scheme = str(headers["authorization"]).split(" ", 1)[0]
        headers["authorization"] = f"{scheme} {MASK}"
    out["headers"] = {k: mask(str(v)) for k, v in headers.items()}
    if "query" in out:
        out["query"] = {
            k: [MASK if SECRET_QUERY.match(k) else mask(v) for v in vs] for k, vs in (out["query"] or {}).items()
        }
    if "path" in out:
        out["path"] = mask(str(out["path"]))
    out["json"] = walk_strings(out.get("json"), mask)
    if out.get("text") is not None:
        out["text"] = mask(str(out["text"]))
    return out


def normalise_dates(value: Json) -> Json:
    """Datetimes and dates (answers only: a request's dates come from the scenario) -> placeholders."""

    def change(text: str) -> str:
        if _DATETIME.match(text):
            return "$datetime"
        return "$date" if _DATE.match(text) else text

    return walk_strings(value, change)


# -- the recorder ----------------------------------------------------------------------------
class Recorder:
    """Writes each exchange of the attached sessions to ``<root>/<system>-<version>/<scenario>/``.

    ``secrets`` maps a secret value to its placeholder (``{api_key: "$key"}``); the folder is
    emptied when the recorder starts, so a fixture set is always one whole run.
    """

    def __init__(
        self,
        profile: Profile,
        version: str,
        scenario: str,
        *,
        secrets: Mapping[str, str],
        root: Path = FIXTURES,
        write: bool = True,
    ) -> None:
        self.profile = profile
        self.version = version
        self.scenario = scenario
        self.secrets = dict(secrets)
        self.folder = root / f"{profile.system}-{version}" / scenario
        self.normaliser = profile.normaliser()
        self.exchanges: list[dict[str, Any]] = []
        self.write = write
        if write:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder.mkdir(parents=True)

    def attach(self, session: requests.Session) -> requests.Session:
        session.hooks.setdefault("response", []).append(self._hook)
        return session

    def _hook(self, response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        self.record(request_dict(response.request), response_dict(response))
        return response

    def record(self, request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        shape = self.profile.call_shape(request)
        request = mask_exchange(request, self.secrets)
        response = mask_exchange(response, self.secrets)
        normal_request = self.normaliser.request(request)
        normal_response = self.normaliser.response(request, response)
        seq = len(self.exchanges) + 1
        exchange = {
            "system": self.profile.system,
            "version": self.version,
            "scenario": self.scenario,
            "seq": seq,
            "call_shape": shape,
            "request": normal_request,
            "response": normal_response,
        }
        self.exchanges.append(exchange)
        if self.write:
            name = f"{seq:03d}_{self.profile.slug(shape)}.json"
            (self.folder / name).write_text(json.dumps(exchange, indent=1, sort_keys=False) + "\n")
        return exchange


def load_fixtures(system: str, version: str | None = None, root: Path = FIXTURES) -> Iterator[dict[str, Any]]:
    """Every recorded exchange of ``system`` (all versions unless given), by scenario then sequence."""
    pattern = f"{system}-{version}" if version else f"{system}-*"
    for folder in sorted(root.glob(pattern)):
        for scenario in sorted(p for p in folder.iterdir() if p.is_dir()):
            for file in sorted(scenario.glob("[0-9][0-9][0-9]_*.json")):
                yield json.loads(file.read_text())


def load_scenario(system: str, version: str, scenario: str, root: Path = FIXTURES) -> list[dict[str, Any]]:
    folder = root / f"{system}-{version}" / scenario
    return [json.loads(f.read_text()) for f in sorted(folder.glob("[0-9][0-9][0-9]_*.json"))]


def shape_key(shape: Mapping[str, Any]) -> str:
    """A call shape as one comparable, printable string (keys sorted)."""
    return json.dumps(shape, sort_keys=True)
