"""The order-state mapping is configuration (YAML / environment), checked when loaded."""

from __future__ import annotations

import pydantic
import pytest

from kernel.order_states import OrderStateMaps
from kernel.settings import Settings

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def no_outside_config(monkeypatch, tmp_path):
    monkeypatch.setenv("PRESTASYNC_CONFIG", str(tmp_path / "absent.yaml"))
    for name in ("SHOP", "ERP", "TO_SHOP"):
        monkeypatch.delenv(f"PRESTASYNC_ORDER_STATES__{name}", raising=False)


def test_erp_delivery_progress_is_looked_up_before_the_state() -> None:
    maps = OrderStateMaps()
    assert maps.erp_code("sale", "full") == "shipped"
    assert maps.erp_code("sale", "partial") == "processing"  # no "sale/partial" entry: the state alone
    assert maps.erp_code("sale", None) == "processing" and maps.erp_code("cancel", None) == "cancelled"
    assert maps.erp_code("locked", None) is None


def test_a_custom_shop_state_from_the_yaml_file(monkeypatch, tmp_path) -> None:
    config = tmp_path / "prestasync.yaml"
    # an install's own "Shipped with DHL" state (id 20) is where shipped orders go
    config.write_text(
        "order_states:\n  shop: {2: paid, 3: processing, 4: shipped, 6: cancelled, 20: shipped}\n"
        "  to_shop: {processing: 3, shipped: 20, cancelled: 6}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PRESTASYNC_CONFIG", str(config))
    states = Settings().order_states
    assert states.to_shop == {"processing": 3, "shipped": 20, "cancelled": 6}
    assert states.shop[20] == "shipped" and 1 not in states.shop  # a table replaces the default one whole
    assert states.erp == OrderStateMaps().erp


def test_a_written_state_that_reads_back_as_another_code_is_refused(monkeypatch) -> None:
    monkeypatch.setenv("PRESTASYNC_ORDER_STATES__TO_SHOP", '{"shipped": 5}')
    with pytest.raises(pydantic.ValidationError, match=r"shipped -> 5 reads back as 'delivered'"):
        Settings()


def test_the_readme_policy_example_loads(monkeypatch, tmp_path) -> None:
    from kernel.settings import REPO_ROOT

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("The sync policy is configuration too", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    config = tmp_path / "prestasync.yaml"
    config.write_text(example, encoding="utf-8")
    monkeypatch.setenv("PRESTASYNC_CONFIG", str(config))
    settings = Settings()
    assert settings.order_states.to_shop["shipped"] == 20 and settings.streams.web_locations == (8, 23)
