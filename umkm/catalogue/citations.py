"""A package version (its descriptor) or a whole release in; its citation and the citation files beside it out.

The citation itself, and every format it is rendered in, is umkm.package.citation (the packages' READMEs and
workbooks cite it too); this module says what the catalogue cites: each package version at its folder
``unduh/<version>/<package>/``, and each release at ``unduh/<version>/``.
"""

from __future__ import annotations

from umkm.catalogue.config import Urls
from umkm.catalogue.descriptor import publisher
from umkm.package import citation


def of_package(descriptor: dict, urls: Urls) -> citation.Citation:
    """The citation of one package version."""
    return citation.of(descriptor, urls.base)


def of_release(version: str, date: str, synthetic: bool, descriptors: list[dict], urls: Urls) -> citation.Citation:
    """The citation of a whole release (``unduh/<version>/``), published by the publisher of its packages."""
    return citation.of_release(
        version, date, synthetic, urls.base, publisher(descriptors[0]) if descriptors else citation.DEFAULT_PUBLISHER
    )


def files(descriptor: dict, urls: Urls) -> dict[str, bytes]:
    """CITATION.txt, .bib, .cff, .ris and .csl.json of a package version."""
    return citation.files(of_package(descriptor, urls))
