"""A package's licence (its SPDX id, from the descriptor's ``licenses``) in; the same licence in the other
vocabularies the catalogue formats speak out: CKAN's licence register, the EU authority table, ADMS.

The descriptor says which licence (SPDX id, URL, full title); this table says only what cannot be derived from
it, once, keyed by SPDX id. A package under a licence missing here fails the catalogue build (KeyError
naming the id) instead of publishing a wrong licence.
"""

from __future__ import annotations

from dataclasses import dataclass

EU = "http://publications.europa.eu/resource/authority/"
ADMS_LICENCE_TYPE = "http://purl.org/adms/licencetype/"


@dataclass(frozen=True)
class Licence:
    spdx: str  # the descriptor's licenses[].name
    url: str  # the descriptor's licenses[].path: the licence's own page
    title: str  # the descriptor's licenses[].title
    short_title: str  # as a citation or a rights line says it ("CC BY 4.0")
    # CKAN's licence register: ckanext-dcat fills a harvested dataset's license_id by matching a distribution's
    # dct:license against the register's URLs (then titles), so DCAT names the licence by the register's URL.
    ckan_id: str
    ckan_title: str
    ckan_iri: str
    eu_iri: str  # the EU vocabulary's licence (skos:exactMatch, for DCAT-AP readers)
    licence_type: str  # ADMS licence type


# SPDX id -> (short title, CKAN id, CKAN title, CKAN register URL, EU authority code, ADMS licence type)
VOCABULARY = {
    "CC-BY-4.0": ("CC BY 4.0", "cc-by", "Creative Commons Attribution", "http://www.opendefinition.org/licenses/cc-by",
                  "CC_BY_4_0", "Attribution"),
}


def of(licence: dict) -> Licence:
    """One entry of a descriptor's ``licenses`` in every vocabulary."""
    short_title, ckan_id, ckan_title, ckan_iri, eu_code, licence_type = VOCABULARY[licence["name"]]
    return Licence(spdx=licence["name"], url=licence["path"], title=licence.get("title", short_title),
                   short_title=short_title, ckan_id=ckan_id, ckan_title=ckan_title, ckan_iri=ckan_iri,
                   eu_iri=f"{EU}licence/{eu_code}", licence_type=ADMS_LICENCE_TYPE + licence_type)


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
