"""What a catalogue load created: rows counted per kind, zero everywhere on an idempotent re-run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class LoadSummary:
    """Rows created by one load (rows that already existed are not counted)."""

    categories: int = 0
    products: int = 0
    variants: int = 0
    stock_rows: int = 0
    groups: int = 0
    group_prices: int = 0
    attributes: int = 0
    features: int = 0

    @property
    def created(self) -> int:
        """Total rows of the counted kinds created by this load."""
        return (
            self.categories
            + self.products
            + self.variants
            + self.stock_rows
            + self.groups
            + self.group_prices
            + self.attributes
            + self.features
        )
