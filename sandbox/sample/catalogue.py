"""The sandbox's sample catalogue: one definition, loaded into both the ERP and the shop tables.

Pure data. Prices are tax excluded (the shop adds 20 % VAT). Barcodes use the GS1 prefix 200-299
("restricted circulation": numbers a retailer may assign internally), so they never clash with real
products, and carry valid check digits. Stock is per warehouse: WH feeds the web shop, STORE is a
physical shop whose stock the web shop does not sell.

Combinations do not change the price (a size or a colour costs the same): the ERP tables the sandbox
has cannot hold per-variant price extras (no product attribute tables), and both sides must agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

RETAIL = "Retail"
WHOLESALE = "Wholesale"
VIP = "VIP"
CUSTOMER_GROUPS: tuple[str, ...] = (RETAIL, WHOLESALE, VIP)

SIZE = "Size"
COLOUR = "Colour"
MATERIAL = "Material"
MADE_IN = "Made in"

# English -> French, for the shop's and the ERP's translated names.
FRENCH: dict[str, str] = {
    SIZE: "Taille",
    COLOUR: "Couleur",
    MATERIAL: "Matière",
    MADE_IN: "Fabriqué en",
    "White": "Blanc",
    "Black": "Noir",
    "Grey": "Gris",
    "Navy": "Marine",
    "Red": "Rouge",
    "Organic cotton": "Coton bio",
    "Cotton": "Coton",
    "Wool": "Laine",
    "Ceramic": "Céramique",
    "Canvas": "Toile",
    "Recycled paper": "Papier recyclé",
    "Portugal": "Portugal",
    "France": "France",
    "Clothing": "Vêtements",
    "Accessories": "Accessoires",
    "Home & Living": "Maison",
}

# Colour attribute values and the swatch PrestaShop shows for them.
COLOUR_HEX: dict[str, str] = {
    "White": "#ffffff",
    "Black": "#000000",
    "Grey": "#aab2bd",
    "Navy": "#1f2a44",
    "Red": "#e84c3d",
}


def french(text: str) -> str:
    """The French label of an English catalogue word (unchanged when it needs no translation)."""
    return FRENCH.get(text, text)


@dataclass(frozen=True)
class Variant:
    """One sellable item: an ERP product.product, a shop combination (or the product itself if simple)."""

    sku: str
    ean13: str
    options: tuple[tuple[str, str], ...]  # (attribute group, value), e.g. (("Size", "M"), ("Colour", "Black"))
    stock_wh: int
    stock_store: int


@dataclass(frozen=True)
class Product:
    """One ERP product.template / shop product."""

    reference: str  # the template's reference; for a simple product it is also its only variant's SKU
    name: str
    name_fr: str
    category: str
    price: Decimal  # tax excluded
    cost: Decimal
    weight_kg: Decimal
    description: str
    features: tuple[tuple[str, str], ...]
    variants: tuple[Variant, ...]
    group_prices: dict[str, Decimal] = field(default_factory=dict)  # group name -> fixed price, tax excluded

    @property
    def has_combinations(self) -> bool:
        return any(variant.options for variant in self.variants)


def _simple(reference: str, ean13: str, stock_wh: int, stock_store: int) -> tuple[Variant, ...]:
    return (Variant(reference, ean13, (), stock_wh, stock_store),)


CATALOGUE: tuple[Product, ...] = (
    Product(
        "TSH-ORG",
        "Organic cotton T-shirt",
        "T-shirt en coton bio",
        "Clothing",
        Decimal("19.90"),
        Decimal("6.40"),
        Decimal("0.180"),
        "A soft crew-neck T-shirt in organic cotton.",
        ((MATERIAL, "Organic cotton"), (MADE_IN, "Portugal")),
        (
            Variant("TSH-ORG-WHT-S", "2000000001074", ((SIZE, "S"), (COLOUR, "White")), 12, 4),
            Variant("TSH-ORG-WHT-M", "2000000001142", ((SIZE, "M"), (COLOUR, "White")), 20, 6),
            Variant("TSH-ORG-WHT-L", "2000000001210", ((SIZE, "L"), (COLOUR, "White")), 15, 3),
            Variant("TSH-ORG-BLK-S", "2000000001289", ((SIZE, "S"), (COLOUR, "Black")), 10, 2),
            Variant("TSH-ORG-BLK-M", "2000000001357", ((SIZE, "M"), (COLOUR, "Black")), 18, 5),
            Variant("TSH-ORG-BLK-L", "2000000001425", ((SIZE, "L"), (COLOUR, "Black")), 0, 3),
        ),
        {WHOLESALE: Decimal("12.50"), VIP: Decimal("17.90")},
    ),
    Product(
        "HOOD-ZIP",
        "Zip hoodie",
        "Sweat zippé à capuche",
        "Clothing",
        Decimal("49.00"),
        Decimal("18.00"),
        Decimal("0.620"),
        "A heavyweight zip hoodie with two pockets.",
        ((MATERIAL, "Cotton"), (MADE_IN, "Portugal")),
        (
            Variant("HOOD-ZIP-GRY-S", "2000000001494", ((SIZE, "S"), (COLOUR, "Grey")), 6, 2),
            Variant("HOOD-ZIP-GRY-M", "2000000001562", ((SIZE, "M"), (COLOUR, "Grey")), 9, 2),
            Variant("HOOD-ZIP-GRY-L", "2000000001630", ((SIZE, "L"), (COLOUR, "Grey")), 7, 1),
            Variant("HOOD-ZIP-GRY-XL", "2000000001708", ((SIZE, "XL"), (COLOUR, "Grey")), 4, 0),
        ),
        {WHOLESALE: Decimal("31.00"), VIP: Decimal("44.00")},
    ),
    Product(
        "SOCK-3P",
        "Socks, pack of 3",
        "Chaussettes, lot de 3",
        "Clothing",
        Decimal("12.00"),
        Decimal("3.10"),
        Decimal("0.150"),
        "Three pairs of ribbed cotton socks.",
        ((MATERIAL, "Cotton"), (MADE_IN, "France")),
        (
            Variant("SOCK-3P-39", "2000000001777", ((SIZE, "39-42"),), 30, 10),
            Variant("SOCK-3P-43", "2000000001845", ((SIZE, "43-46"),), 25, 8),
        ),
        {WHOLESALE: Decimal("7.20")},
    ),
    Product(
        "CAP-BB",
        "Baseball cap",
        "Casquette de baseball",
        "Accessories",
        Decimal("15.00"),
        Decimal("4.50"),
        Decimal("0.090"),
        "A six-panel cap with an adjustable strap.",
        ((MATERIAL, "Cotton"),),
        (
            Variant("CAP-BB-NVY", "2000000001913", ((COLOUR, "Navy"),), 14, 5),
            Variant("CAP-BB-RED", "2000000001982", ((COLOUR, "Red"),), 8, 3),
        ),
        {WHOLESALE: Decimal("9.00"), VIP: Decimal("13.50")},
    ),
    Product(
        "SCARF-WL",
        "Wool scarf",
        "Écharpe en laine",
        "Accessories",
        Decimal("29.00"),
        Decimal("11.00"),
        Decimal("0.210"),
        "A long scarf knitted in merino wool.",
        ((MATERIAL, "Wool"), (MADE_IN, "France")),
        (
            Variant("SCARF-WL-GRY", "2000000002057", ((COLOUR, "Grey"),), 10, 4),
            Variant("SCARF-WL-RED", "2000000002125", ((COLOUR, "Red"),), 5, 4),
        ),
        {WHOLESALE: Decimal("18.50"), VIP: Decimal("26.00")},
    ),
    Product(
        "MUG-CER",
        "Ceramic mug",
        "Mug en céramique",
        "Home & Living",
        Decimal("9.50"),
        Decimal("2.80"),
        Decimal("0.350"),
        "A 33 cl stoneware mug, dishwasher safe.",
        ((MATERIAL, "Ceramic"), (MADE_IN, "Portugal")),
        _simple("MUG-CER", "2000000002194", 40, 12),
        {WHOLESALE: Decimal("5.70")},
    ),
    Product(
        "TOTE-CV",
        "Canvas tote bag",
        "Sac cabas en toile",
        "Accessories",
        Decimal("7.90"),
        Decimal("1.90"),
        Decimal("0.120"),
        "A sturdy canvas tote bag with long handles.",
        ((MATERIAL, "Canvas"),),
        _simple("TOTE-CV", "2000000002262", 60, 20),
        {WHOLESALE: Decimal("4.40"), VIP: Decimal("6.90")},
    ),
    Product(
        "NOTE-A5",
        "A5 notebook",
        "Carnet A5",
        "Home & Living",
        Decimal("4.20"),
        Decimal("1.05"),
        Decimal("0.200"),
        "96 dotted pages, lay-flat binding.",
        ((MATERIAL, "Recycled paper"), (MADE_IN, "France")),
        _simple("NOTE-A5", "2000000002330", 80, 25),
        {WHOLESALE: Decimal("2.60")},
    ),
)

CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(product.category for product in CATALOGUE))


def attribute_values() -> dict[str, list[str]]:
    """Attribute group -> its values, in catalogue order (the order PrestaShop positions them)."""
    values: dict[str, list[str]] = {}
    for product in CATALOGUE:
        for variant in product.variants:
            for group, value in variant.options:
                if value not in values.setdefault(group, []):
                    values[group].append(value)
    return values


def feature_values() -> dict[str, list[str]]:
    """Feature -> its values, in catalogue order."""
    values: dict[str, list[str]] = {}
    for product in CATALOGUE:
        for feature, value in product.features:
            if value not in values.setdefault(feature, []):
                values[feature].append(value)
    return values


def all_variants() -> list[tuple[Product, Variant]]:
    return [(product, variant) for product in CATALOGUE for variant in product.variants]
