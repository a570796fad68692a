"""Issue #15 item 1: the store-stock module on the real PrestaShop 8.1.2's product page, in a real browser.

Run by hand (docs/STORE_STOCK.md, "On the real PrestaShop"), with the module installed in the shop, the
demo t-shirt's combinations given their own references and ``prestasync run store-stock`` on a topic
of this run's own (``PRESTASYNC_STREAMS__TOPIC_SUFFIX``, stores ``{"paris": 10, "lyon": 11}``)::

    .venv/bin/python -m tests.real.storestock_page configure /work/real2/ps/prestashop.json http://127.0.0.1:39311
    .venv/bin/python -m tests.real.storestock_page fill
    .venv/bin/python -m tests.real.storestock_page shoot http://127.0.0.1:8081/men/1-hummingbird-printed-t-shirt.html

``configure`` logs in to the back office (the script's JSON: admin URL, e-mail, password), opens the
module's configuration page and saves the lookup address through its form, as a merchant does; it
checks the form refuses an ``ftp://`` address first (screenshot of the saved form: docs/img/).
``fill`` writes the demo figures below on the topic, as the streams publish them (``StoreFigure``).
``shoot`` opens the page in headless Chromium (Debian's ``chromium``) through its DevTools protocol,
checks the block shows the default combination's stores, picks size M and colour Black the way the
classic theme's controls do (a ``change`` on the select, a click on the colour), waits for PrestaShop's
``updatedProduct`` and checks the block was filled again with that combination's stores; one screenshot
each (docs/img/). Exits 1 when a check fails.
"""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp

from kernel.kafka_admin import admin, create_missing
from kernel.kafka_clients import producer
from kernel.settings import REPO_ROOT, get_settings
from schemas import topics
from schemas.store_stock import StoreFigure
from streams.local_state import CHANGELOG_CONFIG

PARIS, LYON = 10, 11
# (SKU, location, quantity); the figure's age in minutes is its quantity, so the tooltips differ
FIGURES = [
    ("demo_1-S-WHITE", PARIS, 3),
    ("demo_1-S-WHITE", LYON, 0),
    ("demo_1-M-BLACK", PARIS, 7),
    ("demo_1-M-BLACK", LYON, 12),
]
BEFORE = "lyon: out of stock\nparis: 3"  # S / White, the default combination
AFTER = "lyon: 12\nparis: 7"  # M / Black
DEVTOOLS_PORT = 39322
STORE_BLOCK = "document.querySelector('.prestasync-storestock')"


def fill() -> None:
    settings = get_settings()
    topic = topics.STORE_STOCK + settings.streams.topic_suffix
    with admin(settings) as client:
        create_missing(client, {topic: settings.streams.partitions}, {topic: CHANGELOG_CONFIG})
    out = producer(settings)
    now = datetime.now(UTC)
    for sku, location, quantity in FIGURES:
        figure = StoreFigure(sku, str(location), Decimal(quantity), now - timedelta(minutes=quantity))
        out.send(topic, key=figure.key(), value=figure.encode())
    out.flush()
    out.close()
    print(f"{len(FIGURES)} figures on {topic}")


class Page:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws, self.last_id = ws, 0

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.last_id += 1
        await self.ws.send_json({"id": self.last_id, "method": method, "params": params})
        while True:
            message = json.loads((await self.ws.receive()).data)
            if message.get("id") == self.last_id:
                return dict(message.get("result", message))

    async def js(self, expression: str) -> Any:
        answer = await self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return answer["result"].get("value")

    async def shot(self, path: Path) -> None:
        path.write_bytes(base64.b64decode((await self.call("Page.captureScreenshot", format="png"))["data"]))

    async def block(self) -> tuple[str, str]:
        return await self.js(f"[{STORE_BLOCK}.dataset.url, {STORE_BLOCK}.hidden ? '' : {STORE_BLOCK}.innerText]")


def _page_socket() -> str:
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{DEVTOOLS_PORT}/json") as reply:
                return str(next(t for t in json.load(reply) if t["type"] == "page")["webSocketDebuggerUrl"])
        except (OSError, StopIteration):
            time.sleep(0.2)
    raise RuntimeError("chromium's DevTools did not answer")


async def _shoot(url: str, out_dir: Path) -> list[str]:
    failures = []
    async with aiohttp.ClientSession() as session, session.ws_connect(_page_socket(), max_msg_size=0) as ws:
        page = Page(ws)
        await page.call("Page.enable")
        await page.call(
            "Emulation.setDeviceMetricsOverride", width=1280, height=1600, deviceScaleFactor=1, mobile=False
        )
        await page.call("Page.navigate", url=url)
        await asyncio.sleep(5)
        lookup, shown = await page.block()
        print(f"default combination: {lookup}\n{shown}")
        if "combination=demo_1-S-WHITE" not in lookup or BEFORE not in shown:
            failures.append(f"default combination: expected {BEFORE!r}")
        await page.shot(out_dir / "store-stock-product-page.png")
        await page.js(
            "window.prestasyncUpdated = 0; prestashop.on('updatedProduct', () => { window.prestasyncUpdated++; });"
            "const size = document.querySelector('#group_1'); size.value = '2';"
            "size.dispatchEvent(new Event('change', {bubbles: true}));"
        )
        await asyncio.sleep(3)
        await page.js('document.querySelector(\'input[name="group[2]"][value="11"]\').click()')
        await asyncio.sleep(5)
        updated = await page.js("window.prestasyncUpdated")
        lookup, shown = await page.block()
        print(f"after M / Black ({updated} updatedProduct): {await page.js('location.href')}\n{lookup}\n{shown}")
        if not updated or "combination=demo_1-M-BLACK" not in lookup or AFTER not in shown:
            failures.append(f"after picking M / Black: expected {AFTER!r} after updatedProduct")
        await page.shot(out_dir / "store-stock-combination.png")
    return failures


async def _configure(shop: dict[str, Any], lookup: str, out_dir: Path) -> list[str]:
    failures = []
    admin_url, field = shop["admin_url"], "document.querySelector('#PRESTASYNC_STORESTOCK_URL')"
    async with aiohttp.ClientSession() as session, session.ws_connect(_page_socket(), max_msg_size=0) as ws:
        page = Page(ws)
        await page.call("Page.enable")
        await page.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)
        await page.call("Page.navigate", url=admin_url + "index.php?controller=AdminLogin")
        await asyncio.sleep(4)
        email, password = json.dumps(shop["admin"]["email"]), json.dumps(shop["admin"]["password"])
        await page.js(
            f"document.querySelector('#email').value = {email}; document.querySelector('#passwd').value = {password};"
            "document.querySelector('#submit_login').click()"
        )
        await asyncio.sleep(8)
        # the back office's own links to the modules page carry its token
        token = await page.js(
            "(Array.from(document.querySelectorAll('a')).map(a => a.href)"
            ".find(h => h.includes('controller=AdminModules&token=')) || '').split('token=')[1] || ''"
        )
        if not token:
            return ["no link to the modules page after login"]
        await page.call(
            "Page.navigate",
            url=f"{admin_url}index.php?controller=AdminModules&token={token[:32]}&configure=prestasyncstorestock",
        )
        for address, expected in (("ftp://lookup", "must be an http(s) URL"), (lookup, "Saved.")):
            await asyncio.sleep(8)
            await page.js(
                f"{field}.value = {json.dumps(address)};"
                "document.querySelector('button[name=submitPrestasyncStoreStock]').click()"
            )
            await asyncio.sleep(8)
            alerts = await page.js("Array.from(document.querySelectorAll('.alert')).map(a => a.innerText).join(' / ')")
            print(f"{address}: {' '.join(alerts.split())}")
            if expected not in alerts:
                failures.append(f"{address}: expected {expected!r}")
        if await page.js(f"{field}.value") != lookup:
            failures.append(f"the form does not show {lookup} after saving it")
        await page.shot(out_dir / "store-stock-configure.png")
    return failures


def _chromium() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            *("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"),
            *(f"--remote-debugging-port={DEVTOOLS_PORT}", "--window-size=1280,1600", "about:blank"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _report(failures: list[str]) -> int:
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


def shoot(url: str, out_dir: Path) -> int:
    chromium = _chromium()
    try:
        return _report(asyncio.run(_shoot(url, out_dir)))
    finally:
        chromium.terminate()
        chromium.wait(timeout=30)


def configure(shop_json: Path, lookup: str, out_dir: Path) -> int:
    chromium = _chromium()
    try:
        return _report(asyncio.run(_configure(json.loads(shop_json.read_text()), lookup, out_dir)))
    finally:
        chromium.terminate()
        chromium.wait(timeout=30)


if __name__ == "__main__":
    if sys.argv[1:2] == ["fill"]:
        fill()
    elif sys.argv[1:2] == ["shoot"] and len(sys.argv) == 3:
        sys.exit(shoot(sys.argv[2], REPO_ROOT / "docs" / "img"))
    elif sys.argv[1:2] == ["configure"] and len(sys.argv) == 4:
        sys.exit(configure(Path(sys.argv[2]), sys.argv[3], REPO_ROOT / "docs" / "img"))
    else:
        sys.exit("usage: storestock_page configure <prestashop.json> <lookup URL> | fill | shoot <product page URL>")
