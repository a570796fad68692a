"""Random but reproducible shoppers: who orders what, drawn from what the shop holds now.

Given the same seed and the same database state, the same requests come out. New customers get an
e-mail address made unique by a random token; returning customers are drawn from the shop's customers
that have an address.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pymysql
import pymysql.cursors

from sandbox.sample.catalogue import CUSTOMER_GROUPS
from sandbox.simulator.checkout_rows import CUSTOMER_GROUP_ID, LANG_ID, SHOP_ID
from sandbox.simulator.events import (
    STATE_AWAITING_BANK_WIRE,
    STATE_PAYMENT_ACCEPTED,
    CartLine,
    NewCustomer,
    OrderRequest,
    ReturningCustomer,
)

FIRST_NAMES = ("Camille", "Louis", "Emma", "Hugo", "Chloé", "Lucas", "Léa", "Gabriel", "Manon", "Jules")
LAST_NAMES = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau")
CITIES = (("75011", "Paris"), ("69003", "Lyon"), ("33000", "Bordeaux"), ("59000", "Lille"), ("44000", "Nantes"))
STREETS = ("rue de la République", "avenue Jean Jaurès", "boulevard Victor Hugo", "rue du Moulin")


class Shoppers:
    """Draws order requests for a shop database; ``returning_ratio`` of them from known customers."""

    def __init__(
        self,
        conn: pymysql.Connection[Any],
        prefix: str,
        rng: random.Random,
        returning_ratio: float = 0.4,
        discount_ratio: float = 0.15,
        bank_wire_ratio: float = 0.2,
    ) -> None:
        self.conn = conn
        self.prefix = prefix
        self.rng = rng
        self.returning_ratio = returning_ratio
        self.discount_ratio = discount_ratio
        self.bank_wire_ratio = bank_wire_ratio

    def _rows(self, query: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self.conn.cursor(pymysql.cursors.DictCursor) as cur:
            cur.execute(query, args)
            return list(cur.fetchall())

    def group_ids(self) -> list[int]:
        """The sample's customer groups (Retail, Wholesale, VIP), or "Customer" if they are not loaded."""
        rows = self._rows(
            f"SELECT id_group FROM `{self.prefix}group_lang` WHERE id_lang = %s AND name IN %s ORDER BY id_group",
            (LANG_ID, CUSTOMER_GROUPS),
        )
        return [int(row["id_group"]) for row in rows] or [CUSTOMER_GROUP_ID]

    def sellable(self) -> list[tuple[int, int, int]]:
        """(id_product, id_product_attribute, quantity) of every sellable item with stock left.

        A product with combinations is sold through its combinations, a simple one through its own row.
        """
        rows = self._rows(
            f"SELECT sa.id_product, sa.id_product_attribute, sa.quantity FROM `{self.prefix}stock_available` sa "
            f"JOIN `{self.prefix}product` p ON p.id_product = sa.id_product AND p.active = 1 "
            "WHERE sa.id_shop = %s AND sa.quantity > 0 AND (sa.id_product_attribute <> 0 OR NOT EXISTS "
            f"(SELECT 1 FROM `{self.prefix}product_attribute` pa WHERE pa.id_product = sa.id_product)) "
            "ORDER BY sa.id_product, sa.id_product_attribute",
            (SHOP_ID,),
        )
        return [(int(r["id_product"]), int(r["id_product_attribute"]), int(r["quantity"])) for r in rows]

    def known_customers(self) -> list[ReturningCustomer]:
        rows = self._rows(
            f"SELECT c.id_customer, MIN(a.id_address) AS id_address FROM `{self.prefix}customer` c "
            f"JOIN `{self.prefix}address` a ON a.id_customer = c.id_customer AND a.deleted = 0 "
            "WHERE c.deleted = 0 GROUP BY c.id_customer ORDER BY c.id_customer"
        )
        return [ReturningCustomer(int(r["id_customer"]), int(r["id_address"])) for r in rows]

    def new_customer(self) -> NewCustomer:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        postcode, city = self.rng.choice(CITIES)
        token = f"{self.rng.getrandbits(32):08x}"
        ascii_first = first.replace("é", "e").replace("è", "e").lower()
        return NewCustomer(
            firstname=first,
            lastname=last,
            email=f"{ascii_first}.{last.lower()}.{token}@example.com",
            id_group=self.rng.choice(self.group_ids()),
            address1=f"{self.rng.randint(1, 120)} {self.rng.choice(STREETS)}",
            postcode=postcode,
            city=city,
            id_gender=self.rng.choice((1, 2)),
        )

    def next_request(self) -> OrderRequest | None:
        """A 1-3 line order of items in stock, or None when nothing can be sold."""
        stock = self.sellable()
        if not stock:
            return None
        picked = self.rng.sample(stock, k=min(len(stock), self.rng.choice((1, 1, 2, 2, 3))))
        lines = tuple(CartLine(p, a, self.rng.randint(1, min(2, available))) for p, a, available in picked)
        known = self.known_customers()
        returning = bool(known) and self.rng.random() < self.returning_ratio
        customer: NewCustomer | ReturningCustomer = self.rng.choice(known) if returning else self.new_customer()
        state = STATE_AWAITING_BANK_WIRE if self.rng.random() < self.bank_wire_ratio else STATE_PAYMENT_ACCEPTED
        discount = Decimal(10) if self.rng.random() < self.discount_ratio else None
        return OrderRequest(customer, lines, state, discount)
