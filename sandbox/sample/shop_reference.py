"""Shop-side reference rows of the sample catalogue: customer groups, categories, attributes, features.

Each is found by its name in the shop's default language and created (with a row per language) only
when missing. Names are French in a language whose ISO code is ``fr``, English otherwise.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sandbox.sample.catalogue import COLOUR, COLOUR_HEX, french
from sandbox.sample.rows import my_insert
from sandbox.sample.summary import LoadSummary

HOME_CATEGORY_ID = 2
SHOP_ID = 1


def slug(text: str) -> str:
    """PrestaShop's link_rewrite: lower case ASCII words joined by dashes."""
    cleaned = "".join(ch if ch.isalnum() and ch.isascii() else " " for ch in text.lower())
    return "-".join(cleaned.split())


class ShopTables:
    """Prefixed table names, the shop's languages and the cursor the loader writes with."""

    def __init__(self, cur: Any, prefix: str, now: datetime, summary: LoadSummary) -> None:
        self.cur = cur
        self.prefix = prefix
        self.now = now
        self.summary = summary
        cur.execute(f"SELECT id_lang, iso_code FROM `{prefix}lang` ORDER BY id_lang")
        self.languages: list[tuple[int, str]] = [(int(r["id_lang"]), str(r["iso_code"])) for r in cur.fetchall()]
        if not self.languages:
            raise LookupError("the shop has no language: load the PrestaShop seed first")
        cur.execute(f"SELECT value FROM `{prefix}configuration` WHERE name = 'PS_LANG_DEFAULT' LIMIT 1")
        row = cur.fetchone()
        self.default_lang = int(row["value"]) if row else self.languages[0][0]

    def t(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def text(self, english: str, iso_code: str, french_text: str | None = None) -> str:
        if iso_code != "fr":
            return english
        return french_text if french_text is not None else french(english)

    def find(self, query: str, args: tuple[Any, ...]) -> int | None:
        self.cur.execute(query, args)
        row = self.cur.fetchone()
        return None if row is None else int(next(iter(row.values())))

    def insert(self, table: str, values: dict[str, Any], ignore: bool = False) -> int:
        return my_insert(self.cur, self.t(table), values, ignore)


def ensure_groups(db: ShopTables, names: tuple[str, ...]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for name in names:
        found = db.find(
            f"SELECT id_group FROM `{db.t('group_lang')}` WHERE name = %s AND id_lang = %s", (name, db.default_lang)
        )
        if found is None:
            found = db.insert(
                "group",
                {"reduction": 0, "price_display_method": 0, "show_prices": 1, "date_add": db.now, "date_upd": db.now},
            )
            for id_lang, _iso in db.languages:
                db.insert("group_lang", {"id_group": found, "id_lang": id_lang, "name": name})
            db.summary.groups += 1
        ids[name] = found
    return ids


def ensure_categories(db: ShopTables, names: tuple[str, ...]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for position, name in enumerate(names):
        found = db.find(
            f"SELECT c.id_category FROM `{db.t('category')}` c JOIN `{db.t('category_lang')}` l "
            "USING (id_category) WHERE c.id_parent = %s AND l.name = %s AND l.id_lang = %s",
            (HOME_CATEGORY_ID, name, db.default_lang),
        )
        if found is None:
            found = db.insert(
                "category",
                {
                    "id_parent": HOME_CATEGORY_ID,
                    "id_shop_default": SHOP_ID,
                    "level_depth": 2,
                    "active": 1,
                    "date_add": db.now,
                    "date_upd": db.now,
                    "position": position,
                    "is_root_category": 0,
                },
            )
            for id_lang, iso in db.languages:
                label = db.text(name, iso)
                db.insert(
                    "category_lang",
                    {
                        "id_category": found,
                        "id_shop": SHOP_ID,
                        "id_lang": id_lang,
                        "name": label,
                        "description": "",
                        "link_rewrite": slug(label),
                    },
                )
            db.summary.categories += 1
        ids[name] = found
    if db.summary.categories:
        regenerate_category_tree(db)
    return ids


def regenerate_category_tree(db: ShopTables) -> None:
    """Category::regenerateEntireNtree: renumber the nested set (nleft/nright) depth first by position."""
    db.cur.execute(f"SELECT id_category, id_parent FROM `{db.t('category')}` ORDER BY position, id_category")
    children: dict[int, list[int]] = {}
    for row in db.cur.fetchall():
        children.setdefault(int(row["id_parent"]), []).append(int(row["id_category"]))
    counter = 0
    bounds: dict[int, tuple[int, int]] = {}
    # Iterative depth-first walk: (category, entering?) pairs.
    stack: list[tuple[int, bool]] = [(root, True) for root in reversed(children.get(0, []))]
    while stack:
        category, entering = stack.pop()
        counter += 1
        if entering:
            bounds[category] = (counter, 0)
            stack.append((category, False))
            stack.extend((child, True) for child in reversed(children.get(category, [])))
        else:
            bounds[category] = (bounds[category][0], counter)
    for category, (left, right) in bounds.items():
        db.cur.execute(
            f"UPDATE `{db.t('category')}` SET nleft = %s, nright = %s WHERE id_category = %s", (left, right, category)
        )


def ensure_attributes(db: ShopTables, values: dict[str, list[str]]) -> dict[tuple[str, str], int]:
    """Attribute groups and their values; returns (group, value) -> id_attribute."""
    ids: dict[tuple[str, str], int] = {}
    for group_position, (group, group_values) in enumerate(values.items()):
        is_colour = group == COLOUR
        group_id = db.find(
            f"SELECT id_attribute_group FROM `{db.t('attribute_group_lang')}` WHERE name = %s AND id_lang = %s",
            (group, db.default_lang),
        )
        if group_id is None:
            group_id = db.insert(
                "attribute_group",
                {
                    "is_color_group": int(is_colour),
                    "group_type": "color" if is_colour else "select",
                    "position": group_position,
                },
            )
            for id_lang, iso in db.languages:
                label = db.text(group, iso)
                db.insert(
                    "attribute_group_lang",
                    {"id_attribute_group": group_id, "id_lang": id_lang, "name": label, "public_name": label},
                )
            db.summary.attributes += 1
        for position, value in enumerate(group_values):
            found = db.find(
                f"SELECT a.id_attribute FROM `{db.t('attribute')}` a JOIN `{db.t('attribute_lang')}` l "
                "USING (id_attribute) WHERE a.id_attribute_group = %s AND l.name = %s AND l.id_lang = %s",
                (group_id, value, db.default_lang),
            )
            if found is None:
                found = db.insert(
                    "attribute",
                    {
                        "id_attribute_group": group_id,
                        "color": COLOUR_HEX.get(value, "") if is_colour else "",
                        "position": position,
                    },
                )
                for id_lang, iso in db.languages:
                    db.insert(
                        "attribute_lang", {"id_attribute": found, "id_lang": id_lang, "name": db.text(value, iso)}
                    )
                db.summary.attributes += 1
            ids[(group, value)] = found
    return ids


def ensure_features(db: ShopTables, values: dict[str, list[str]]) -> dict[tuple[str, str], tuple[int, int]]:
    """Features and their (non-custom) values; returns (feature, value) -> (id_feature, id_feature_value)."""
    ids: dict[tuple[str, str], tuple[int, int]] = {}
    for position, (feature, feature_values) in enumerate(values.items()):
        feature_id = db.find(
            f"SELECT id_feature FROM `{db.t('feature_lang')}` WHERE name = %s AND id_lang = %s",
            (feature, db.default_lang),
        )
        if feature_id is None:
            feature_id = db.insert("feature", {"position": position})
            for id_lang, iso in db.languages:
                db.insert("feature_lang", {"id_feature": feature_id, "id_lang": id_lang, "name": db.text(feature, iso)})
            db.summary.features += 1
        for value in feature_values:
            found = db.find(
                f"SELECT v.id_feature_value FROM `{db.t('feature_value')}` v JOIN `{db.t('feature_value_lang')}` l "
                "USING (id_feature_value) WHERE v.id_feature = %s AND l.value = %s AND l.id_lang = %s",
                (feature_id, value, db.default_lang),
            )
            if found is None:
                found = db.insert("feature_value", {"id_feature": feature_id, "custom": 0})
                for id_lang, iso in db.languages:
                    db.insert(
                        "feature_value_lang",
                        {"id_feature_value": found, "id_lang": id_lang, "value": db.text(value, iso)},
                    )
                db.summary.features += 1
            ids[(feature, value)] = (feature_id, found)
    return ids
