"""docs/SETTINGS.md is the settings models, rendered: every key documented, every variable it names
really sets its key (the one grammar PRESTASYNC_<SECTION>__<FIELD>)."""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any, Literal

import pytest

from kernel import settings_doc
from kernel.settings import Settings

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def no_outside_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PRESTASYNC_CONFIG", str(tmp_path / "absent.yaml"))
    for name in list(__import__("os").environ):
        if name.startswith("PRESTASYNC_") and name != "PRESTASYNC_CONFIG":
            monkeypatch.delenv(name)


def test_the_page_is_the_models() -> None:
    assert settings_doc.PAGE.read_text(encoding="utf-8") == settings_doc.page(), (
        "docs/SETTINGS.md differs from the settings models: run `python -m kernel.settings_doc`"
    )


def test_every_key_is_documented() -> None:
    keys = [key for _, _, rows in settings_doc.sections() for key in rows]
    assert len(keys) > 100
    assert [k.path for k in keys if not k.description.strip()] == []


def _leaf(path: str) -> Any:
    settings: Any = Settings()
    for part in path.split("."):
        settings = getattr(settings, part)
    return settings


def _probe(annotation: Any, default: Any) -> tuple[str, Any] | None:
    """An env value for a scalar key and what it must parse to (None: not a scalar)."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is Literal:
        choice = next(a for a in args if a != default)
        return str(choice), choice
    if len(args) == 1 and typing.get_origin(annotation) is not Literal:  # X | None
        annotation = args[0]
        if typing.get_origin(annotation) is Literal:
            return str(typing.get_args(annotation)[0]), typing.get_args(annotation)[0]
    probes: dict[Any, tuple[str, Any]] = {
        str: ("probe-x", "probe-x"),
        int: ("4242", 4242),
        float: ("42.5", 42.5),
        bool: (str(not default).lower(), not default),
        Path: ("/srv/probe.file", Path("/srv/probe.file")),
    }
    return probes.get(annotation)


def test_each_documented_variable_sets_its_key(monkeypatch: pytest.MonkeyPatch) -> None:
    model_fields = {}
    for _, _, rows in settings_doc.sections():
        for key in rows:
            if "<entity>" not in key.path:
                model_fields[key.path] = key
    checked = 0
    for path, key in model_fields.items():
        owner: Any = Settings
        for part in path.split(".")[:-1]:
            owner = owner.model_fields[part].annotation
        info = owner.model_fields[path.rsplit(".", 1)[-1]]
        probe = _probe(info.annotation, _leaf(path))
        if probe is None:
            continue
        raw, parsed = probe
        with monkeypatch.context() as env:
            env.setenv(key.env, raw)
            assert _leaf(path) == parsed, f"{key.env}={raw} did not set {path}"
        checked += 1
    assert checked > 90
    monkeypatch.setenv("PRESTASYNC_SHOP__LANGUAGES", '{"1": "en_US", "2": "fr_FR"}')
    monkeypatch.setenv("PRESTASYNC_ERP__PRICELIST_GROUPS", '{"3": 0, "4": 2}')
    settings = Settings()
    assert settings.shop.languages == {1: "en_US", 2: "fr_FR"} and settings.erp.pricelist_groups == {3: 0, 4: 2}
