"""`prestasync check`, the shop's own settings as its tables hold them: ``PS_TIMEZONE``, the languages,
the configured shop (``shop.shop_id`` / ``shop_group_id`` / ``languages``) against ``ps_shop`` and
``ps_lang``, and the order-state maps (``order_states``) against the shop's real ``ps_order_state`` rows."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kernel.settings import Settings
from prestasync.attach.findings import Finding, Report

# A code whose PrestaShop meaning has a flag: a mapping that contradicts the shop's flag is suspicious.
_FLAGS = {"paid": "paid", "shipped": "shipped", "delivered": "shipped"}


def check_shop(cur: Any, settings: Settings) -> list[Finding]:
    report = Report("shop")
    prefix = settings.mariadb.table_prefix
    cur.execute(
        f"SELECT name, value FROM `{prefix}configuration` WHERE name IN ('PS_TIMEZONE', 'PS_LANG_DEFAULT') "
        "ORDER BY id_shop IS NOT NULL, id_shop"
    )
    config: dict[str, list[str]] = {}
    for row in cur.fetchall():
        config.setdefault(str(row["name"]), []).append(str(row["value"]))
    _timezone(config.get("PS_TIMEZONE", []), report)
    default_lang = int(config.get("PS_LANG_DEFAULT", ["1"])[0] or 1)
    _languages(cur, prefix, default_lang, report)
    _configured_shop(cur, settings, report)
    _order_states(cur, settings, default_lang, report)
    return report.findings


def _timezone(values: list[str], report: Report) -> None:
    if not values:
        report.problem(
            "timezone",
            "no PS_TIMEZONE in the shop's configuration table",
            "set the shop's time zone in its back office (Localization > Configuration)",
        )
        return
    if len(set(values)) > 1:
        report.warning(
            "timezone",
            f"shops have different time zones {sorted(set(values))}: dates are read in {values[0]}",
            "give every synced shop the same time zone",
        )
    try:
        ZoneInfo(values[0])
    except (ZoneInfoNotFoundError, ValueError):
        report.problem(
            "timezone",
            f"PS_TIMEZONE {values[0]!r} is not an IANA time zone",
            "set the shop's time zone in its back office (Localization > Configuration)",
        )
        return
    report.info("timezone", f"PS_TIMEZONE = {values[0]} (shop dates are local times in this zone)")


def _languages(cur: Any, prefix: str, default_lang: int, report: Report) -> None:
    cur.execute(f"SELECT id_lang, iso_code, language_code, active FROM `{prefix}lang` ORDER BY id_lang")
    rows = cur.fetchall()
    listed = ", ".join(
        f"{r['id_lang']}={r['language_code'] or r['iso_code']}{'' if r['active'] else ' (inactive)'}" for r in rows
    )
    default = next((r for r in rows if int(r["id_lang"]) == default_lang), None)
    if default is None or not default["active"]:
        report.problem(
            "languages",
            f"the default language PS_LANG_DEFAULT={default_lang} is not an active language ({listed})",
            "pick an active default language in the shop's back office",
        )
    else:
        report.info("languages", f"{listed}; default {default['language_code'] or default['iso_code']}")


def _configured_shop(cur: Any, settings: Settings, report: Report) -> None:
    """``shop.shop_id`` is a shop of ``shop.shop_group_id``, and ``shop.languages`` its active languages."""
    prefix, shop = settings.mariadb.table_prefix, settings.shop
    cur.execute(
        f"SELECT s.id_shop, s.id_shop_group, g.share_stock FROM `{prefix}shop` s "
        f"JOIN `{prefix}shop_group` g ON g.id_shop_group = s.id_shop_group WHERE s.id_shop = %s",
        (shop.shop_id,),
    )
    row = cur.fetchone()
    if row is None:
        report.problem(
            "shop",
            f"shop.shop_id {shop.shop_id} is not a shop of {prefix}shop",
            "set shop.shop_id to the id_shop to sync",
        )
    elif int(row["id_shop_group"]) != shop.shop_group_id:
        report.problem(
            "shop",
            f"shop {shop.shop_id} belongs to shop group {row['id_shop_group']}, not "
            f"shop.shop_group_id {shop.shop_group_id}",
            f"set shop.shop_group_id to {row['id_shop_group']}",
        )
    elif row["share_stock"]:
        report.warning(
            "shop",
            f"shop group {shop.shop_group_id} shares its stock (stock_available rows of "
            "id_shop 0): prestasync syncs a shop's own stock rows only",
            "sync a shop whose group does not share stock, or expect its stock not to be synced",
        )
    else:
        report.ok("shop", f"shop {shop.shop_id} of shop group {shop.shop_group_id}")
    cur.execute(f"SELECT id_lang, language_code, active FROM `{prefix}lang`")
    real = {int(r["id_lang"]): r for r in cur.fetchall()}
    wrong = [f"{i} ({locale})" for i, locale in shop.languages.items() if i not in real or not real[i]["active"]]
    unmapped = [f"{i} ({r['language_code']})" for i, r in real.items() if r["active"] and i not in shop.languages]
    if wrong:
        report.problem(
            "shop languages",
            f"shop.languages names {', '.join(wrong)}: not an active language of the shop",
            "map the shop's active id_lang values in shop.languages",
        )
    if unmapped:
        report.warning(
            "shop languages",
            f"active languages {', '.join(unmapped)} are not in shop.languages: "
            "their names and descriptions are not synced",
            "add them to shop.languages (id_lang: locale)",
        )
    if not wrong and not unmapped:
        report.ok("shop languages", f"shop.languages maps the shop's {len(shop.languages)} active languages")


def _order_states(cur: Any, settings: Settings, lang: int, report: Report) -> None:
    prefix = settings.mariadb.table_prefix
    cur.execute(
        f"SELECT s.id_order_state AS id, s.deleted, s.paid, s.shipped, l.name "
        f"FROM `{prefix}order_state` s LEFT JOIN `{prefix}order_state_lang` l "
        "ON l.id_order_state = s.id_order_state AND l.id_lang = %s ORDER BY s.id_order_state",
        (lang,),
    )
    real = {int(r["id"]): r for r in cur.fetchall()}
    live = {i: r for i, r in real.items() if not r["deleted"]}
    maps = settings.order_states
    known = ", ".join(f"{i} {r['name'] or ''}".strip() for i, r in live.items())
    bad = [f"{i} ({code})" for i, code in maps.shop.items() if i not in live]
    bad_target = [f"{code} -> {i}" for code, i in maps.to_shop.items() if i not in live]
    if bad or bad_target:
        gone = "; ".join(
            x
            for x in (
                f"order_states.shop names {', '.join(bad)}" if bad else "",
                f"order_states.to_shop writes {', '.join(bad_target)}" if bad_target else "",
            )
            if x
        )
        report.problem(
            "order states",
            f"{gone}: no such (undeleted) state in {prefix}order_state",
            f"map the shop's real states in order_states (settings); they are: {known}",
        )
    else:
        report.ok("order states", f"order_states.shop and to_shop name {len(maps.shop)} real states of {len(live)}")
    unmapped = [f"{i} {r['name'] or ''}".strip() for i, r in live.items() if i not in maps.shop]
    if unmapped:
        report.warning(
            "order states",
            f"orders in these shop states get no canonical state: {', '.join(unmapped)}",
            "add them to order_states.shop (a module's own states, e.g. a payment module's)",
        )
    odd = [
        f"{i} {live[i]['name'] or ''} -> {code} (shop flag {flag}=0)".strip()
        for i, code in maps.shop.items()
        if i in live and (flag := _FLAGS.get(code)) and not live[i][flag]
    ]
    if odd:
        report.warning(
            "order states",
            f"mapped against the shop's own flags: {'; '.join(odd)}",
            "check order_states.shop: these states are not flagged so in the shop",
        )
