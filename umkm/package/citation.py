"""A package version (its descriptor) and the site address in; its one citation out, in every format people
paste or import: text (Indonesian, English), BibTeX, CFF, RIS and CSL-JSON.

Every citation the project prints comes from ``of`` (a package version) or ``of_release`` (a whole
release), rendered here: the files beside each package (``files``), the zip's README, the workbooks'
cover sheet, the site's pages, DCAT, schema.org. The URL cited is the version's own page,
``unduh/<version>/<package>/`` (an ``index.html`` a static host serves at that folder's address), which
never changes once published.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from umkm.vocabulary import LICENCE, PUBLISHER_SHORT, SITE_TITLE, citation_text

DEFAULT_BASE_URL = "https://dinas-kumkmp-balikpapan.github.io/data-umkm/"  # until UMKM_SITE_URL names another
DEFAULT_PUBLISHER = PUBLISHER_SHORT  # unless the descriptor names its publisher (contributors)
FILES = ("CITATION.txt", "CITATION.bib", "CITATION.cff", "CITATION.ris", "CITATION.csl.json")


@dataclass(frozen=True)
class Citation:
    key: str  # BibTeX key and CSL id: name_version
    title: str
    title_en: str
    version: str
    date: str  # the register's snapshot date, YYYY-MM-DD
    publisher: str
    url: str  # the version's page (a folder with an index.html): what is cited
    zip_url: str | None
    synthetic: bool
    keywords: tuple[str, ...] = ()
    abstract: str = ""
    abstract_en: str = ""

    @property
    def year(self) -> str:
        return self.date[:4]


def version_dir(version: str, name: str | None = None) -> str:
    """``unduh/<version>/`` or ``unduh/<version>/<package>/``, relative to the site root."""
    return f"unduh/{version}/" + (f"{name}/" if name else "")


def _absolute(base_url: str, relative: str) -> str:
    base = base_url if base_url.endswith("/") else base_url + "/"
    return base + quote(relative, safe="/#:=?&")


def publisher(descriptor: dict) -> str:
    """The package's publisher: the title of its contributor in the role "publisher", else the office."""
    return next(
        (
            c["title"]
            for c in descriptor.get("contributors", [])
            if "publisher" in c.get("roles", []) and c.get("title")
        ),
        DEFAULT_PUBLISHER,
    )


def _key(*parts: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", "_".join(parts)).strip("_")


def of(descriptor: dict, base_url: str) -> Citation:
    """The citation of one package version, from its datapackage.json."""
    name, version = descriptor["name"], descriptor["version"]
    synthetic = bool(descriptor.get("synthetic"))
    return Citation(
        key=_key(name, version),
        title=descriptor["title"],
        title_en=descriptor.get("title_en", descriptor["title"]),
        version=version,
        date=descriptor["created"][:10],
        publisher=publisher(descriptor),
        url=_absolute(base_url, version_dir(version, name)),
        zip_url=_absolute(base_url, f"unduh/{version}/{name}.zip"),
        synthetic=synthetic,
        keywords=tuple(descriptor.get("keywords", [])),
        abstract=descriptor.get("description", ""),
        abstract_en=descriptor.get("description_en", ""),
    )


def of_release(version: str, date: str, synthetic: bool, base_url: str, publisher: str = DEFAULT_PUBLISHER) -> Citation:
    """The citation of a whole release (every package of one version): ``unduh/<version>/``."""
    return Citation(
        key=_key("umkm_balikpapan", version),
        title=SITE_TITLE["id"],
        title_en=SITE_TITLE["en"],
        version=version,
        date=date[:10],
        publisher=publisher,
        url=_absolute(base_url, version_dir(version)),
        zip_url=None,
        synthetic=synthetic,
        keywords=("UMKM", "Balikpapan"),
    )


# ------------------------------------------------------------------ formats


def text(c: Citation, lang: str = "id") -> str:
    """The citation as one line of text (APA-like), in Bahasa Indonesia or English: vocabulary.citation_text."""
    return citation_text(
        publisher=c.publisher,
        year=c.year,
        title=c.title if lang == "id" else c.title_en,
        version=c.version,
        date=c.date,
        url=c.url,
        synthetic=c.synthetic,
        lang=lang,
        whole_release=c.title == SITE_TITLE["id"],
    )


def _bib_escape(value: str) -> str:
    escapes = {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
    return "".join(escapes.get(ch, ch) for ch in value)


def _note(c: Citation, lang: str = "id") -> str:
    if lang == "id":
        return f"{'Data sintetis (demo). ' if c.synthetic else ''}Data per {c.date}; lisensi {LICENCE.short_title}"
    return f"{'Synthetic demo data. ' if c.synthetic else ''}Data as of {c.date}; licence {LICENCE.short_title}"


def bibtex(c: Citation) -> str:
    """A BibTeX @misc entry (biblatex's @dataset is not read by plain BibTeX styles)."""
    fields = [
        ("author", "{" + _bib_escape(c.publisher) + "}"),  # braces: a body, not a person's name
        ("title", "{" + _bib_escape(c.title) + "}"),
        ("year", c.year),
        ("month", str(int(c.date[5:7]))),
        ("version", _bib_escape(c.version)),
        ("publisher", _bib_escape(c.publisher)),
        ("howpublished", r"\url{" + c.url + "}"),
        ("url", c.url),
        ("note", _bib_escape(_note(c))),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{c.key},\n{body}\n}}\n"


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def cff(c: Citation) -> str:
    """CITATION.cff (Citation File Format 1.2.0)."""
    abstract = " / ".join(
        a for a in (_synthetic_prefix(c, "id") + c.abstract, _synthetic_prefix(c, "en") + c.abstract_en) if a.strip()
    )
    lines = [
        "cff-version: 1.2.0",
        "message: "
        + _yaml("Jika memakai data ini, kutiplah seperti di bawah. / If you use this data, please cite it as below."),
        "type: dataset",
        "title: " + _yaml(c.title),
        *(["abstract: " + _yaml(abstract)] if abstract else []),
        "authors:",
        "  - name: " + _yaml(c.publisher),
        "version: " + _yaml(c.version),
        f"date-released: {c.date}",
        f"license: {LICENCE.spdx}",
        "url: " + _yaml(c.url),
        *(["repository-artifact: " + _yaml(c.zip_url)] if c.zip_url else []),
        "identifiers:",
        "  - type: url",
        "    value: " + _yaml(c.url),
        "    description: " + _yaml("Halaman tetap versi ini / fixed page of this version"),
    ]
    if c.keywords:
        lines += ["keywords:"] + ["  - " + _yaml(k) for k in c.keywords]
    return "\n".join(lines) + "\n"


def _synthetic_prefix(c: Citation, lang: str) -> str:
    if not c.synthetic:
        return ""
    return "DATA SINTETIS (demo), bukan data nyata. " if lang == "id" else "SYNTHETIC DATA (demo), not real data. "


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}"


def ris(c: Citation) -> str:
    """A RIS record (type DATA). RIS reads an author as "Last, First": the body's name goes in without its
    commas, whole, and again as the publisher."""
    lines = [
        _ris_line("TY", "DATA"),
        _ris_line("AU", c.publisher.replace(",", "")),
        _ris_line("PY", c.year),
        _ris_line("DA", c.date.replace("-", "/")),
        _ris_line("TI", c.title),
        _ris_line("ET", c.version),
        _ris_line("PB", c.publisher),
        _ris_line("UR", c.url),
        _ris_line("LA", "id"),
    ]
    if c.abstract:
        lines.append(_ris_line("AB", _synthetic_prefix(c, "id") + c.abstract))
    lines += [_ris_line("KW", k) for k in c.keywords]
    lines += [_ris_line("N1", f"Versi {c.version}. {_note(c)}."), "ER  - "]
    return "\r\n".join(lines) + "\r\n"  # the RIS specification ends lines with CR LF


def csl_json(c: Citation) -> str:
    """CSL-JSON (an array of one item): what Zotero, Mendeley and pandoc-citeproc import."""
    year, month, day = (int(part) for part in c.date.split("-"))
    item = {
        "id": c.key,
        "type": "dataset",
        "title": c.title,
        "author": [{"literal": c.publisher}],
        "issued": {"date-parts": [[year, month, day]]},
        "version": c.version,
        "publisher": c.publisher,
        "URL": c.url,
        "language": "id",
        "note": _note(c) + ".",
    }
    if c.abstract:
        item["abstract"] = _synthetic_prefix(c, "id") + c.abstract
    if c.keywords:
        item["keyword"] = ", ".join(c.keywords)
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


def files(c: Citation) -> dict[str, bytes]:
    """The citation files beside a package (and in its zip): name -> bytes."""
    return {
        "CITATION.txt": (text(c, "id") + "\n\n" + text(c, "en") + "\n").encode("utf-8"),
        "CITATION.bib": bibtex(c).encode("utf-8"),
        "CITATION.cff": cff(c).encode("utf-8"),
        "CITATION.ris": ris(c).encode("utf-8"),
        "CITATION.csl.json": csl_json(c).encode("utf-8"),
    }


FORMAT_LABELS = {
    "CITATION.txt": "Teks / text",
    "CITATION.bib": "BibTeX",
    "CITATION.cff": "CFF",
    "CITATION.ris": "RIS",
    "CITATION.csl.json": "CSL-JSON",
}
