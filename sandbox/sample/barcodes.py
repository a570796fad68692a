"""EAN-13 check digits (GS1 modulo 10), used to keep the sample catalogue's barcodes valid."""

from __future__ import annotations


def ean13_check_digit(first_twelve: str) -> int:
    """The check digit for 12 digits: weights 1,3,1,3... from the left, then (10 - sum mod 10) mod 10."""
    if len(first_twelve) != 12 or not first_twelve.isdigit():
        raise ValueError(f"an EAN-13 body is 12 digits, got {first_twelve!r}")
    total = sum(int(digit) * (3 if position % 2 else 1) for position, digit in enumerate(first_twelve))
    return (10 - total % 10) % 10


def is_valid_ean13(code: str) -> bool:
    """True when ``code`` is 13 digits whose last one is the check digit of the first twelve."""
    if len(code) != 13 or not code.isdigit():
        return False
    return ean13_check_digit(code[:12]) == int(code[12])
