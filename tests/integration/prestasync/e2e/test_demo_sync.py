"""The README's first command, exactly as written: `make demo`, stopped by Ctrl-C.

Debezium -> Kafka -> streams -> sinks -> twins, all real processes. With no options the demo trades
until interrupted: orders must start flowing, its memory must stay flat while it trades, Ctrl-C must
stop it cleanly, and every shop order it placed must be in the ERP exactly once with the shop's
untaxed total, with no customer duplicated.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from kernel.settings import REPO_ROOT, get_settings
from tests.integration.prestasync.e2e.checks import (
    assert_one_partner_per_customer,
    assert_orders_in_erp_once_with_their_totals,
    shop_rows,
)
from tests.support.polling import wait_until

pytestmark = pytest.mark.integration

README_FIRST_COMMAND = "make demo"
TRADE_S = 45  # of trade after the first order, sampling memory (the leak it guards grew ~120 MB/s)
RSS_GROWTH_LIMIT_MB = 40  # the demo's own process; the bug this guards grew it ~120 MB/s


def _readme_first_command() -> list[str]:
    """The first command of the README's "Two commands" block, so this test runs what a user types."""
    text = (REPO_ROOT / "README.md").read_text()
    block = text.split("## Two commands", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    first = block.strip().splitlines()[0].split("#", 1)[0].strip()
    assert first == README_FIRST_COMMAND, f"the README's first command is now {first!r}: update this test"
    return first.split()


def _demo_process(make: subprocess.Popen[str]) -> psutil.Process:
    """The `prestasync demo` Python process that make started."""

    def found() -> psutil.Process:
        for child in psutil.Process(make.pid).children(recursive=True):
            if "demo" in child.cmdline() and "prestasync" in " ".join(child.cmdline()):
                return child
        raise AssertionError("no prestasync demo process under make yet")

    return wait_until(found, "the demo process", 120, 1.0)


def test_the_readme_first_command_trades_with_flat_memory_until_ctrl_c(tmp_path: Path) -> None:
    settings = get_settings()
    first_id = int(shop_rows(settings, "SELECT COALESCE(MAX(id_order), 0) + 1 AS n FROM {p}orders")[0]["n"])
    log = (tmp_path / "demo.log").open("w+")
    make = subprocess.Popen(
        _readme_first_command(), cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )  # its own process group, as a terminal's job
    try:
        demo = _demo_process(make)
        wait_until(
            lambda: (
                shop_rows(settings, "SELECT id_order FROM {p}orders WHERE id_order >= %s", (first_id,))
                or _fail("no order yet")
            ),
            "the first order of the demo",
            240,
            1.0,
        )
        samples = []
        for _ in range(TRADE_S // 5):
            samples.append(demo.memory_info().rss / 2**20)
            time.sleep(5)
        assert make.poll() is None, "the demo stopped by itself: with no options it runs until Ctrl-C"
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGINT)  # Ctrl-C: the whole foreground job gets SIGINT
        code = make.wait(timeout=180)
    output = Path(log.name).read_text()
    assert "workers stopped" in output, output[-3000:]
    assert code in (0, 2, -signal.SIGINT, 130), output[-3000:]  # make reports the interrupted recipe
    growth = max(samples[1:]) - samples[1]  # the first sample is taken while the process warms up
    assert growth < RSS_GROWTH_LIMIT_MB, f"the demo's memory grew {growth:.0f} MB while trading: {samples}"

    placed = shop_rows(
        settings,
        "SELECT reference, id_customer FROM {p}orders WHERE id_order >= %s AND current_state <> 0",
        (first_id,),
    )
    assert len(placed) >= 5, f"the demo placed too few orders to say anything: {len(placed)}"
    assert "shop orders placed" in output and f"{len(placed)} shop orders placed" in output, output[-2000:]
    wait_until(
        lambda: assert_orders_in_erp_once_with_their_totals(settings, [r["reference"] for r in placed]),
        "the demo's orders in the ERP (the workers resume after Ctrl-C only with the next run)",
        5,
        1.0,
    )
    assert_one_partner_per_customer(settings, {int(row["id_customer"]) for row in placed})


def _fail(message: str) -> list[dict[str, object]]:
    raise AssertionError(message)
