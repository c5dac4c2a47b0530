"""A package's licence (its SPDX id, from the descriptor's ``licenses``) in; the same licence in the other
vocabularies the catalogue formats speak out: CKAN's licence register, the EU authority table, ADMS.

The descriptor says which licence (SPDX id, URL, full title); umkm.vocabulary.LICENCES says the rest, once,
keyed by SPDX id. A package under a licence missing there fails the catalogue build (KeyError naming the id)
instead of publishing a wrong licence.
"""

from __future__ import annotations

import dataclasses

from umkm.vocabulary import LICENCES, Licence


def of(licence: dict) -> Licence:
    """One entry of a descriptor's ``licenses`` in every vocabulary."""
    known = LICENCES[licence["name"]]
    return dataclasses.replace(known, url=licence["path"], title=licence.get("title", known.title))


def of_package(descriptor: dict) -> Licence:
    """A package's licence (the first of its ``licenses``: every package of the project has one)."""
    return of(descriptor["licenses"][0])


def of_packages(descriptors: list[dict]) -> list[Licence]:
    """The licences of several packages, each once, in package order."""
    seen: dict[str, Licence] = {}
    for descriptor in descriptors:
        licence = of_package(descriptor)
        seen.setdefault(licence.spdx, licence)
    return list(seen.values())
