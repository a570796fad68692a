"""A combination's attribute values in the shop (issue #14 item 1): the attribute group
(``product_options``) and its value (``product_option_values``) found by name, created when the shop has
none of that name, and linked to the combination (``associations/product_option_values``).

Names are looked up as the shop's collation compares them (without case): an existing "Size" group or
"M" value is linked, never duplicated, and a replay only reads. Checked on a real PrestaShop 8.1.2
(``tests/fixtures/real/prestashop-8.1.2/attributes``): ``filter[name]`` matches a multilingual name,
POST needs ``group_type`` and ``name``/``public_name`` in every language, a combination PATCH with
``<associations>`` replaces its values and keeps its other fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from schemas.records import AttributeValue
from sinks.common.errors import TerminalError
from sinks.prestashop.client import PrestaShopClient
from sinks.prestashop.lookup import entity_id
from sinks.prestashop.mapping import Associations, FieldValue
from sinks.prestashop.wire import Entity

OPTION_VALUES = "product_option_values"
PUBLIC_NAME_MAX = 64  # product_options.public_name maxSize (the webservice's synopsis; name: 128)


def shop_names(texts: Mapping[str, str], default: str | None, language_ids: Mapping[str, int]) -> dict[int, str]:
    """``{id_lang: text}`` in every shop language: the locale's text, else the origin's default one (a
    name is required in the shop's default language, and an empty one would show as a blank choice)."""
    fallback = default or next((texts[k] for k in sorted(texts) if texts[k]), None)
    if not fallback:
        return {}
    return {lang: texts.get(locale) or fallback for locale, lang in sorted(language_ids.items(), key=lambda i: i[1])}


def linked_values(combination: Entity | None) -> set[int]:
    """The option value ids a combination holds (a real 8.1.2 omits the association when it has none)."""
    links = ((combination or {}).get("associations") or {}).get(OPTION_VALUES) or []
    return {int(link["id"]) for link in links if str(link.get("id") or "").isdigit()}


def associations(value_ids: Sequence[int]) -> Associations:
    return {OPTION_VALUES: ("product_option_value", list(value_ids))}


class ShopOptions:
    def __init__(self, client: PrestaShopClient, language_ids: Mapping[str, int]) -> None:
        self.client = client
        self.language_ids = language_ids

    def value_ids(self, sku: str, values: Sequence[AttributeValue]) -> list[int]:
        """The shop's option value ids of ``values``, found or created (groups too), in their order."""
        found = []
        for value in values:
            group = shop_names(value.attribute_names, value.attribute, self.language_ids)
            text = shop_names(value.value_names, value.value, self.language_ids)
            if not group or not text:  # the streams send a variant only once its values are named
                raise TerminalError(f"prestashop: variant {sku!r}: value {value.origin_value_id} has no name")
            group_id = self._group(value.attribute or next(iter(group.values())), group)
            found.append(self._value(group_id, value.value or next(iter(text.values())), text))
        return found

    def _group(self, name: str, names: dict[int, str]) -> int:
        existing = self.client.find_one("product_options", {"name": name}, ignore_case=("name",))
        if existing is not None:
            return entity_id(existing)
        public = {lang: text[:PUBLIC_NAME_MAX] for lang, text in names.items()}
        fields: dict[str, FieldValue] = {
            "group_type": "select",
            "is_color_group": False,
            "name": names,
            "public_name": public,
        }
        return entity_id(self.client.create("product_options", "product_option", fields))

    def _value(self, group_id: int, name: str, names: dict[int, str]) -> int:
        wanted: dict[str, str | int] = {"id_attribute_group": group_id, "name": name}
        existing = self.client.find_one(OPTION_VALUES, wanted, ignore_case=("name",))
        if existing is not None:
            return entity_id(existing)
        fields: dict[str, FieldValue] = {"id_attribute_group": group_id, "name": names}
        return entity_id(self.client.create(OPTION_VALUES, "product_option_value", fields))
