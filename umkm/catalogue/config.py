"""Where the catalogue is published and who answers for it (``Config``), and the address of every file and
node it names (``Urls``).

Absolute URIs use ``Config.base_url`` (env UMKM_SITE_URL, read by build_data.py); links inside pages are
relative.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from umkm.package import citation

DEFAULT_BASE_URL = citation.DEFAULT_BASE_URL
# Placeholder until the office names a public address (set UMKM_CONTACT_EMAIL for a real release).
DEFAULT_CONTACT_EMAIL = "data-umkm@example.org"


@dataclass(frozen=True)
class Config:
    base_url: str = DEFAULT_BASE_URL
    contact_email: str = DEFAULT_CONTACT_EMAIL

    @classmethod
    def from_env(cls, environ) -> "Config":
        """UMKM_SITE_URL (where the site is published) and UMKM_CONTACT_EMAIL, with defaults."""
        base = (environ.get("UMKM_SITE_URL") or DEFAULT_BASE_URL).strip()
        email = (environ.get("UMKM_CONTACT_EMAIL") or DEFAULT_CONTACT_EMAIL).strip()
        return cls(base_url=base if base.endswith("/") else base + "/", contact_email=email.removeprefix("mailto:"))


@dataclass(frozen=True)
class Urls:
    base: str

    def abs(self, relative: str) -> str:
        return self.base + quote(relative, safe="/#:=?&")

    @staticmethod
    def package_dir(version: str, name: str) -> str:
        return f"unduh/{version}/{name}/"

    @staticmethod
    def zip(version: str, name: str) -> str:
        return f"unduh/{version}/{name}.zip"

    @staticmethod
    def landing(name: str) -> str:
        return f"data/{name}.html"

    def dataset(self, name: str) -> str:
        return self.abs(self.landing(name)) + "#dataset"

    def dataset_version(self, version: str, name: str) -> str:
        """The IRI of one package version: its page (``unduh/<version>/<package>/``, an index.html)."""
        return self.abs(self.package_dir(version, name)) + "#dataset"

    def series(self, name: str) -> str:
        return self.abs(self.landing(name)) + "#rilis"

    @staticmethod
    def anchor(version: str) -> str:
        return "rilis-" + version.replace(".", "-")

    def changelog(self, version: str | None = None) -> str:
        return self.abs("data/perubahan.html") + (f"#{self.anchor(version)}" if version else "")
