"""(b) Every call shape the PrestaShop sink can send has been checked against a real PrestaShop 8.1.2.

The sink's handlers run over the same scenarios as the real-system recording
(tests/real/scenario_prestashop.py: every handler, create / edit / replay / dead letter, with and
without ``send_emails``), here against the twin; each request's call shape (method, resource, query
keys, XML node and fields) must be among the shapes recorded from the real shop in
``tests/fixtures/real/prestashop-8.1.2/``. A new kind of call cannot land without a recording.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sinks.prestashop import fields
from tests.integration.sandbox.replay_prestashop import mirror_recorded_shop, twin_back_office_state, twin_order
from tests.real.recorder import load_fixtures, shape_key
from tests.real.scenario_prestashop import SCENARIOS, BackOffice, PlaceOrder, Run
from tests.support.twins import PrestaShopTwin

pytestmark = pytest.mark.integration

RECORDED = {shape_key(e["call_shape"]) for e in load_fixtures("prestashop", "8.1.2")}


def _place_on(twin: PrestaShopTwin) -> PlaceOrder:
    def place(run: Run, lines: list[tuple[str, int]]) -> int:
        return twin_order(twin, lines)

    return place


def _back_office_on(twin: PrestaShopTwin) -> BackOffice:
    def change(run: Run, reference: str, state: int) -> None:
        twin_back_office_state(twin, reference, state)

    return change


def sent_shapes(twin: PrestaShopTwin, only: tuple[str, ...] = ()) -> Iterator[str]:
    """The call shape of every request the sink's handlers send over the scenarios (or ``only`` these),
    on the twin."""
    mirror_recorded_shop(twin)
    shop = {"api_url": twin.api + "/", "webservice_key": twin.key}
    for name, scenario in SCENARIOS.items():
        if only and name not in only:
            continue
        run = Run(shop, name, "TWIN", write=False, place_order=_place_on(twin), back_office=_back_office_on(twin))
        try:
            scenario(run)
        finally:
            run.close()
        failed = [f"{o.label}: {o.got} (expected {o.expected}) {o.checks}" for o in run.outcomes if not o.ok]
        assert not failed, f"{name} on the twin: " + "; ".join(failed)
        yield from (shape_key(e["call_shape"]) for e in run.recorder.exchanges)


@pytest.mark.skipif(not RECORDED, reason="no PrestaShop real traffic recorded")
def test_every_call_shape_the_sink_sends_was_recorded_from_the_real_prestashop(prestashop_twin: PrestaShopTwin) -> None:
    sent = set(sent_shapes(prestashop_twin))
    unrecorded = sorted(sent - RECORDED)
    assert not unrecorded, (
        "the PrestaShop sink sends call shapes never checked against a real PrestaShop "
        "(run tests/real/scenario_prestashop.py against one, commit the fixtures):\n  " + "\n  ".join(unrecorded)
    )
    assert len(sent) >= 20  # the scenarios did exercise the handlers


@pytest.mark.skipif(not RECORDED, reason="no PrestaShop real traffic recorded")
def test_a_changed_call_form_is_named_as_unrecorded(
    prestashop_twin: PrestaShopTwin, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if a product the sink creates also carried its visibility: one more field in the POST body.
    monkeypatch.setitem(fields.PRODUCT_SALE_DEFAULTS, "visibility", "both")
    unrecorded = sorted(set(sent_shapes(prestashop_twin, only=("catalog",))) - RECORDED)
    # every product POST form the catalogue scenario sends (with an EAN13, without, with a tax rules
    # group), each one field longer
    forms = [
        "active,associations/categories,available_for_order,ean13,id_category_default,",
        "active,associations/categories,available_for_order,id_category_default,",
        "active,associations/categories,available_for_order,id_category_default,id_tax_rules_group,",
    ]
    assert unrecorded == sorted(
        f'{{"form": "list xml:product({form}link_rewrite[lang],minimal_quantity,name[lang],price,reference,'
        'show_price,state,visibility,weight)", "http_method": "POST", "resource": "products"}'
        for form in forms
    ), unrecorded
