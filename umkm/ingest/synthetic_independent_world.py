"""The clean world of the independent synthetic register (umkm/ingest/synthetic_independent.py): the clean
entities (Person, Actor) and ``Maker``, the seeded random source every part of the generator draws from, in the
order it draws, with the word lists of synthetic_independent_words.py. synthetic_independent_noise.py puts the
noise on top and synthetic_independent.py writes the rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from umkm.ingest.synthetic_independent_words import (
    BRAND_TAILS,
    BRANDS,
    CALLS,
    FATHERS,
    GROUPS,
    KINDS,
    MIGRANT_PREFIXES,
    MUSLIM_GROUPS,
    STREETS,
)

WOMEN = 0.55  # share of owners who are women


# --------------------------------------------------------------------------------------------
# Clean entities
# --------------------------------------------------------------------------------------------


@dataclass
class Person:
    name: str
    woman: bool
    birth: date
    nik: str
    phone: str
    father: str  # "" for people who never write "bin"/"binti"
    group: str


@dataclass
class Actor:
    actor_id: str
    owner: Person
    kind: int  # index into KINDS
    business: str
    kbli: str
    kelurahan: int  # index into the reference kelurahan
    address: str
    omzet: int
    modal: int
    workers: int
    badan: str  # "Perorangan", "CV", "PT"
    nib: str
    nib_date: date | None
    moved_to: int | None = None  # kelurahan after a move (later rows and OSS)
    moved_address: str = ""


class Maker:
    """The seeded random source and the reference lists every part draws from; ``rates``: per noise kind, its
    rate at noise 1 (synthetic_independent_noise.RATES)."""

    def __init__(self, reference, seed: int, noise: float, snapshot: date, rates: dict[str, float]):
        self.random = random.Random(seed)
        self.noise = noise
        self.rates = rates
        self.snapshot = snapshot
        kel = reference.kelurahan.reset_index(drop=True)
        self.kel_name = list(kel["nama"])
        self.kel_kec = list(kel["nama_kecamatan"])
        self.kel_code = list(kel["kode_kemendagri_nodot"])
        self.kec_number = [code[4:6] for code in self.kel_code]
        weights = [self.random.gammavariate(2.0, 1.0) for _ in self.kel_name]  # not the population weights
        self.kel_weight = [w / sum(weights) for w in weights]
        known = set(reference.kbli_kelompok["kode"])
        for kind in KINDS:
            assert set(kind[2]) <= known, kind
        self.prefixes = [p for p in reference.mobile_prefixes["prefix"] if p.startswith("08")]
        self.serials: set[str] = set()
        self.nibs: set[str] = set()

    def rate(self, name: str) -> bool:
        return self.random.random() < min(0.9, self.rates[name] * self.noise)

    def pick(self, items):
        return items[self.random.randrange(len(items))]

    def weighted(self, items, weights):
        return self.random.choices(items, weights=weights)[0]

    def day_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.random.randrange(max(1, (end - start).days + 1)))

    def kelurahan(self) -> int:
        return self.random.choices(range(len(self.kel_name)), weights=self.kel_weight)[0]

    def phone(self) -> str:
        return self.pick(self.prefixes) + "".join(self.pick("0123456789") for _ in range(self.random.randint(7, 8)))

    def nik(self, region: str, birth: date, woman: bool) -> str:
        day = birth.day + (40 if woman else 0)
        while True:
            nik = f"{region}{day:02d}{birth.month:02d}{birth.year % 100:02d}{self.random.randint(1, 3999):04d}"
            if nik not in self.serials:
                self.serials.add(nik)
                return nik

    def nib(self) -> str:
        while True:
            nib = self.pick(("91", "12", "02", "81", "13")) + "".join(self.pick("0123456789") for _ in range(11))
            if nib not in self.nibs:
                self.nibs.add(nib)
                return nib

    def person(self, kelurahan: int) -> Person:
        rnd = self.random
        group = self.weighted(GROUPS, [g[1] for g in GROUPS])
        woman = rnd.random() < WOMEN
        given = group[2] if woman else group[3]
        name = self.pick(given)
        if rnd.random() < 0.45:  # a second given name ("Siti Rabiatul", "Muhammad Rizal")
            name = f"{name} {self.pick([g for g in given if g != name])}"
        if rnd.random() < 0.7:
            name = f"{name} {self.pick(group[4])}"
        birth = self.day_between(date(1955, 1, 1), date(2004, 12, 31))
        region = f"6471{self.kec_number[kelurahan]}" if rnd.random() < 0.8 else self.pick(MIGRANT_PREFIXES)
        father = self.pick(FATHERS) if group[0] in MUSLIM_GROUPS and rnd.random() < 0.25 else ""
        return Person(name, woman, birth, self.nik(region, birth, woman), self.phone(), father, group[0])

    def business(self, owner: Person, kind: int, kelurahan: int) -> str:
        word = KINDS[kind][0]
        call = self.pick(CALLS[owner.woman])
        brand = self.pick(BRANDS) + (f" {self.pick(BRAND_TAILS)}" if self.random.random() < 0.6 else "")
        style = self.random.random()
        if style < 0.25:
            return f"{word} {call} {owner.name.split()[0]}"
        if style < 0.7:
            return f"{word} {brand}"
        if style < 0.9:
            return f"{brand} {word}"
        return f"{word} {self.kel_name[kelurahan]}"

    def address(self) -> str:
        return f"{self.pick(STREETS)} No. {self.random.randint(1, 120)}"

    def actor(self, number: int, owner: Person | None = None, size: str = "") -> Actor:
        rnd = self.random
        kelurahan = self.kelurahan()
        owner = owner or self.person(kelurahan)
        kind = self.random.choices(range(len(KINDS)), weights=[k[3] for k in KINDS])[0]
        size = size or self.weighted(("mikro", "kecil", "menengah"), (0.92, 0.065, 0.015))
        low, high = {"mikro": (6e6, 1.9e9), "kecil": (2.1e9, 14e9), "menengah": (16e9, 48e9), "besar": (60e9, 900e9)}[
            size
        ]
        omzet = int(round(low * (high / low) ** (rnd.random() ** 1.8), -5))
        # Capital within the class's bound too (PP 7/2021 Pasal 35: Rp1, 5, 10 billion).
        ceiling = {"mikro": 1e9, "kecil": 5e9, "menengah": 10e9, "besar": 90e9}[size]
        modal = int(round(min(omzet * rnd.uniform(0.05, 0.4), ceiling * rnd.uniform(0.5, 1.0)), -5))
        if size == "besar" and rnd.random() < 0.3:
            modal = int(rnd.uniform(11e9, 90e9))
        badan = "Perorangan" if size == "mikro" and rnd.random() < 0.97 else self.pick(("CV", "PT", "Perorangan"))
        return Actor(
            f"B{number:07d}",
            owner,
            kind,
            self.business(owner, kind, kelurahan),
            self.pick(KINDS[kind][2]),
            kelurahan,
            self.address(),
            omzet,
            modal,
            max(1, int(rnd.expovariate(0.5))),
            badan,
            "",
            None,
        )
