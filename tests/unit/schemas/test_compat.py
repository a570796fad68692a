"""schemas.compat: the published history is compatible and matches the record classes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from schemas.catalogue import AVRO_DIR
from schemas.compat import check, incompatibilities, publish
from tests.support.paths import REPO as REPO_DIR

pytestmark = pytest.mark.unit
REPO = REPO_DIR


def test_published_history_is_clean():
    assert check() == []


def test_cli_exits_zero(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "schemas.compat"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "ok:" in result.stdout


def product_v2() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((AVRO_DIR / "product" / "v2.avsc").read_text())
    return schema


def test_adding_a_field_without_default_is_not_backward_compatible():
    old = product_v2()
    new = json.loads(json.dumps(old))
    new["fields"].append({"name": "colour", "type": "string"})
    reasons = incompatibilities(old, new)
    assert any("backward" in r for r in reasons)


def test_removing_a_field_without_default_is_not_forward_compatible():
    old = product_v2()
    new = json.loads(json.dumps(old))
    new["fields"] = [f for f in new["fields"] if f["name"] != "sku"]
    reasons = incompatibilities(old, new)
    assert any("forward" in r for r in reasons)


def test_retyping_a_field_is_refused_both_ways():
    old = product_v2()
    new = json.loads(json.dumps(old))
    for field in new["fields"]:
        if field["name"] == "active":
            field["type"] = "string"
    assert len(incompatibilities(old, new)) == 2


def test_adding_a_defaulted_field_is_compatible():
    v1 = json.loads((AVRO_DIR / "product" / "v1.avsc").read_text())
    assert incompatibilities(v1, product_v2()) == []


def copy_catalogue(tmp_path: Path) -> Path:
    root = tmp_path / "avro"
    shutil.copytree(AVRO_DIR, root)
    return root


def test_check_reports_an_incompatible_published_version(tmp_path):
    root = copy_catalogue(tmp_path)
    bad = product_v2()
    bad["fields"].append({"name": "colour", "type": "string"})
    (root / "product" / "v3.avsc").write_text(json.dumps(bad))
    problems = [str(p) for p in check(root)]
    assert any(p.startswith("product: v3 vs v2: not backward") for p in problems)
    assert any("differs from published v3" in p for p in problems)


def test_check_reports_drift_between_class_and_schema(tmp_path):
    root = copy_catalogue(tmp_path)
    (root / "product" / "v2.avsc").unlink()
    problems = [str(p) for p in check(root)]
    assert problems == ["product: record class Product differs from published v1: publish a new version"]


def test_publish_writes_the_next_version_only_when_changed(tmp_path):
    root = copy_catalogue(tmp_path)
    (root / "product" / "v2.avsc").unlink()
    written, refused = publish(root)
    assert written == [root / "product" / "v2.avsc"] and refused == []
    assert json.loads(written[0].read_text()) == product_v2()
    assert publish(root) == ([], [])
