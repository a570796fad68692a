"""Product fields PrestaShop computes with a webservice getter (``Product::$webserviceParameters``)."""

from __future__ import annotations

from typing import Any

from sandbox.prestashop.db import ShopDatabase


def _first(cur: Any, sql: str, params: tuple[Any, ...]) -> Any:
    cur.execute(sql, params)
    row = cur.fetchone()
    return next(iter(row.values())) if row else None


def product_getter(db: ShopDatabase, cur: Any, name: str, id_product: int) -> str:
    """``getCoverWs``, ``getWsDefaultCombination``, ``getWsPositionInCategory``, ``getWsType``;
    ``manufacturer_name`` is empty (the twin has no manufacturer table)."""
    if name == "id_default_image":
        cover = _first(
            cur, f"SELECT id_image FROM {db.table('image')} WHERE id_product = %s AND cover = 1", (id_product,)
        )
        return "" if cover is None else str(cover)
    if name == "id_default_combination":
        default = _first(
            cur,
            # Product::getDefaultAttribute: the default_on one, else any (the first)
            f"SELECT id_product_attribute FROM {db.table('product_attribute')} "
            "WHERE id_product = %s ORDER BY default_on = 1 DESC, id_product_attribute LIMIT 1",
            (id_product,),
        )
        return str(default or 0)
    if name == "position_in_category":
        position = _first(
            cur,
            f"SELECT cp.position FROM {db.table('category_product')} cp JOIN {db.table('product')} p "
            "ON p.id_product = cp.id_product AND p.id_category_default = cp.id_category WHERE cp.id_product = %s",
            (id_product,),
        )
        return "" if position is None else str(position)
    if name == "type":
        cur.execute(f"SELECT cache_is_pack, is_virtual FROM {db.table('product')} WHERE id_product = %s", (id_product,))
        row = cur.fetchone() or {}
        return "pack" if row.get("cache_is_pack") else "virtual" if row.get("is_virtual") else "simple"
    return ""
