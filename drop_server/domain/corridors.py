"""Where Drop sends money: recipient countries, their currencies and delivery times."""

from __future__ import annotations

from dataclasses import dataclass

BASE_CURRENCY = "NOK"
EEA_ETA = "1-2 business days"
NON_EEA_ETA = "2-4 business days"
QR_ETA = "Instant"


@dataclass(frozen=True)
class Corridor:
    country: str
    country_name: str
    currency: str
    in_eea: bool

    @property
    def eta(self) -> str:
        return EEA_ETA if self.in_eea else NON_EEA_ETA

    @property
    def max_business_days(self) -> int:
        return 2 if self.in_eea else 4


CORRIDORS: dict[str, Corridor] = {
    c.country: c
    for c in (
        Corridor("RS", "Serbia", "RSD", in_eea=False),
        Corridor("BA", "Bosnia and Herzegovina", "BAM", in_eea=False),
        Corridor("PL", "Poland", "PLN", in_eea=True),
        Corridor("PK", "Pakistan", "PKR", in_eea=False),
        Corridor("TR", "Turkey", "TRY", in_eea=False),
    )
}


def corridor(country: str) -> Corridor | None:
    return CORRIDORS.get(country.strip().upper())
