"""The release's packages and the index of earlier releases in; its version, its entry in the release index
(``releases.json``), its fingerprint and its changes against the previous release out (``perubahan.json`` data,
``CHANGELOG.txt`` and the one-paragraph summary the feed, DCAT and the site's changelog page show).

Every date is the register's snapshot date, never the time of the build, so the same release and history
give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import re

from umkm.catalogue.descriptor import iso_date, json_bytes, sha256
from umkm.disclose import tables
from umkm.package.packages import Package, release_version

VERSION_RE = re.compile(r"^(\d{4})\.(\d{2})\.(\d{2})(?:\.(\d+))?$")
STATS_PACKAGE = "umkm-statistik"
MICRODATA = ("umkm-mikrodata", "pelaku_umkm")
CHANGELOG_DIMENSIONS = {  # count table -> its dimension, compared release to release
    "menurut_kecamatan": "kecamatan_kode",
    "menurut_kbli_kategori": "kbli_kategori",
}
# Yes/no attributes whose city-wide counts the changelog states in words (summed over the table's other
# dimension): count table -> (attribute, what "ya" means in Indonesian, in English).
CHANGELOG_YES_NO = {
    "pemasaran_online_keaktifan": ("pemasaran_online", "berjualan online", "selling online"),
    "menurut_bantuan_modal": (
        "bantuan_modal",
        "menerima bantuan modal Rp300.000",
        "receiving the Rp300,000 capital grant",
    ),
    "menurut_pelatihan": ("pelatihan", "pernah ikut pelatihan", "having attended training"),
}
# ------------------------------------------------------------------ versions


def base_version(snapshot_date) -> str:
    """YYYY.MM.DD of the register's snapshot date (package.release_version)."""
    return release_version(snapshot_date)


def version_key(version: str) -> tuple[int, int, int, int]:
    match = VERSION_RE.match(version)
    if not match:
        raise ValueError(f"not a release version: {version!r}")
    year, month, day, n = match.groups()
    return int(year), int(month), int(day), int(n or 1)


def fingerprint(descriptors: list[dict]) -> str:
    """What a release publishes, as one hash: every package's resources and their CSV hashes."""
    lines = sorted(f"{d['name']}/{r['name']}:{r.get('hash', '')}" for d in descriptors for r in d["resources"])
    return sha256("\n".join(lines).encode("utf-8"))


def resolve_version(snapshot_date, content: str, index: list[dict]) -> str:
    """The version of the release being built, from its content fingerprint (disclose.content_fingerprint:
    every table and the microdata without their per-release pseudonyms).

    Rule: the version is the register's snapshot date as YYYY.MM.DD. When the index
    already holds a release of the same snapshot date, a build that publishes exactly
    the same data (same fingerprint) as the newest of them is that release again (a nightly
    rebuild inside the period) and keeps its version; a build whose data differ is a revision
    of that release and gets the next suffix: YYYY.MM.DD.2, then .3, and so on. A version,
    once published, therefore always names the same bytes.
    """
    base = base_version(snapshot_date)
    same_date = [e for e in index if version_key(e["version"])[:3] == version_key(base)[:3]]
    if not same_date:
        return base
    newest = max(same_date, key=lambda e: version_key(e["version"]))
    if newest.get("fingerprint") == content:
        return newest["version"]
    return f"{base}.{version_key(newest['version'])[3] + 1}"


def previous_release(index: list[dict], version: str) -> dict | None:
    """The release this one follows: the last one published before it (index order), not itself."""
    earlier = [e for e in index if e["version"] != version]
    return earlier[-1] if earlier else None


def parse_index(text: str) -> list[dict]:
    data = json.loads(text)
    entries = data["releases"] if isinstance(data, dict) else data
    for entry in entries:
        version_key(entry["version"])
    return entries


def index_bytes(index: list[dict]) -> bytes:
    document = {
        "description": "Rilis Data UMKM Kota Balikpapan, urut terbit (terbaru terakhir) / releases, "
        "in order of publication (newest last)",
        "releases": index,
    }
    return json_bytes(document)


def with_release(index: list[dict], entry: dict) -> list[dict]:
    """The index after publishing ``entry``: a rebuild of a version replaces it and moves it last."""
    return [e for e in index if e["version"] != entry["version"]] + [entry]


# ------------------------------------------------------------------ release entry and changelog


def _counts(csv_data: bytes, dimension: str) -> dict[str, int | None]:
    """Published cells of a count table: code -> count (None where suppressed); "" is unknown."""
    counts: dict[str, int | None] = {}
    for row in csv.DictReader(io.StringIO(csv_data.decode("utf-8"))):
        value, code = row.get(tables.COUNT, ""), row.get(dimension, "")
        # a table of two dimensions: the cells of one code are summed (suppressed if any is)
        before = counts.get(code, 0)
        counts[code] = None if before is None or not value.strip() else before + int(value)
    return dict(sorted(counts.items()))


def release_entry(packages: list[Package], release, bundles: dict[str, bytes]) -> dict:
    """One release in the index: what it published (rows, fields, hashes, zips) and its headline counts."""
    version = release.version
    entry = {
        "version": version,
        "snapshot_date": iso_date(release.snapshot_date),
        "synthetic": bool(release.is_demo),
        "fingerprint": getattr(release, "fingerprint", None) or fingerprint([p.descriptor for p in packages]),
        "packages": {},
        "counts": {},
    }
    for p in sorted(packages, key=lambda p: p.name):
        d = p.descriptor
        zip_data = bundles[p.name]
        entry["packages"][p.name] = {
            "title": d["title"],
            "title_en": d["title_en"],
            "description": d["description"],
            "description_en": d["description_en"],
            "keywords": list(d.get("keywords", [])),
            "zip": {"path": f"unduh/{version}/{p.name}.zip", "bytes": len(zip_data), "hash": sha256(zip_data)},
            "resources": {
                r["name"]: {
                    "title": r["title"],
                    "title_en": r["title_en"],
                    "rows": r.get("rows"),
                    "bytes": r.get("bytes"),
                    "hash": r.get("hash"),
                    "fields": [f["name"] for f in r["schema"]["fields"]],
                }
                for r in d["resources"]
            },
        }
    by_name = {p.name: p for p in packages}
    micro = entry["packages"].get(MICRODATA[0], {}).get("resources", {}).get(MICRODATA[1])
    entry["counts"]["pelaku_umkm"] = micro["rows"] if micro else None
    stats = by_name.get(STATS_PACKAGE)
    for table, dimension in [*CHANGELOG_DIMENSIONS.items(), *((t, d[0]) for t, d in CHANGELOG_YES_NO.items())]:
        if stats is not None and f"{table}.csv" in stats.files:
            entry["counts"][dimension] = _counts(stats.files[f"{table}.csv"], dimension)
    return entry


def _diff(before, after):
    return after - before if isinstance(before, int) and isinstance(after, int) else None


def changelog(entry: dict, previous: dict | None, names: dict[str, dict[str, str]] | None = None) -> dict:
    """What changed from ``previous`` to ``entry``: packages, resources (rows, fields), kecamatan and KBLI counts."""
    names = names or {}
    changes = {
        "version": entry["version"],
        "snapshot_date": entry["snapshot_date"],
        "previous_version": previous["version"] if previous else None,
        "first_release": previous is None,
    }
    if previous is None:
        changes["total"] = {"before": None, "after": entry["counts"].get("pelaku_umkm"), "change": None}
        return changes
    before_total, after_total = previous.get("counts", {}).get("pelaku_umkm"), entry["counts"].get("pelaku_umkm")
    changes["total"] = {"before": before_total, "after": after_total, "change": _diff(before_total, after_total)}
    old_pkgs, new_pkgs = previous.get("packages", {}), entry["packages"]
    changes["packages_added"] = sorted(set(new_pkgs) - set(old_pkgs))
    changes["packages_removed"] = sorted(set(old_pkgs) - set(new_pkgs))
    resources = []
    for name in sorted(set(old_pkgs) | set(new_pkgs)):
        old_res = old_pkgs.get(name, {}).get("resources", {})
        new_res = new_pkgs.get(name, {}).get("resources", {})
        for res in sorted(set(old_res) | set(new_res)):
            old, new = old_res.get(res), new_res.get(res)
            status = (
                "added"
                if old is None
                else "removed"
                if new is None
                else (
                    "changed"
                    if old.get("hash") != new.get("hash") or old.get("fields") != new.get("fields")
                    else "unchanged"
                )
            )
            old_fields, new_fields = (old or {}).get("fields", []), (new or {}).get("fields", [])
            resources.append(
                {
                    "package": name,
                    "resource": res,
                    "status": status,
                    "rows_before": (old or {}).get("rows"),
                    "rows_after": (new or {}).get("rows"),
                    "rows_change": _diff((old or {}).get("rows"), (new or {}).get("rows")),
                    "fields_added": [f for f in new_fields if f not in old_fields] if old else [],
                    "fields_removed": [f for f in old_fields if f not in new_fields] if new else [],
                }
            )
    changes["resources"] = [r for r in resources if r["status"] != "unchanged"]
    changes["resources_unchanged"] = sum(r["status"] == "unchanged" for r in resources)
    for dimension in CHANGELOG_DIMENSIONS.values():
        old, new = previous.get("counts", {}).get(dimension, {}), entry["counts"].get(dimension, {})
        rows = []
        for code in sorted(set(old) | set(new)):
            before, after = old.get(code, 0), new.get(code, 0)  # a code missing from a count table has none
            if before != after:  # None (suppressed) differs from every number
                rows.append(
                    {
                        "code": code,
                        "name": names.get(dimension, {}).get(code, ""),
                        "before": before,
                        "after": after,
                        "change": _diff(before, after),
                    }
                )
        changes[dimension] = rows
    for attribute, _, _ in CHANGELOG_YES_NO.values():  # every answer (ya, tidak, unknown) when any changed
        old, new = previous.get("counts", {}).get(attribute), entry["counts"].get(attribute)
        if old is None or new is None:
            continue
        rows = [
            {
                "code": code,
                "before": old.get(code, 0),
                "after": new.get(code, 0),
                "change": _diff(old.get(code, 0), new.get(code, 0)),
            }
            for code in sorted(set(old) | set(new))
        ]
        changes[attribute] = rows if any(r["before"] != r["after"] for r in rows) else []
    return changes


def code_names(reference) -> dict[str, dict[str, str]]:
    """Names of the codes the changelog compares (kecamatan, KBLI categories), from the reference data."""
    return {
        "kecamatan_kode": dict(zip(reference.kecamatan["kode_kemendagri"], reference.kecamatan["nama"])),
        "kbli_kategori": dict(zip(reference.kbli_kategori["kategori"], reference.kbli_kategori["judul"])),
    }


def count_text(n, lang: str, signed: bool = False) -> str:
    """A count as the changelog writes it: 1.234 (Indonesian) or 1,234, signed for a change; None: suppressed."""
    if n is None:
        return "disembunyikan" if lang == "id" else "suppressed"
    text = f"{n:+,}" if signed and n else f"{n:,}"
    return text.replace(",", ".") if lang == "id" else text


def changelog_summary(changes: dict, lang: str = "id") -> str:
    """One paragraph of what changed, for the feed, the DCAT version notes and CHANGELOG.txt."""
    t = lambda a, b: a if lang == "id" else b
    head = t(
        f"Rilis {changes['version']} (data register per {changes['snapshot_date']})",
        f"Release {changes['version']} (register data as of {changes['snapshot_date']})",
    )
    total = changes.get("total", {})
    if changes["first_release"]:
        return head + t(
            f": rilis pertama; {count_text(total.get('after'), lang)} pelaku UMKM.",
            f": first release; {count_text(total.get('after'), lang)} UMKM actors.",
        )
    parts = [
        t(f"dibanding {changes['previous_version']}: ", f"compared with {changes['previous_version']}: ")
        + t("jumlah pelaku UMKM ", "UMKM actors ")
        + count_text(total.get("after"), lang)
        + (f" ({count_text(total['change'], lang, signed=True)})" if total.get("change") is not None else "")
    ]
    resources = changes.get("resources", [])
    rows_changed = [r for r in resources if r["status"] == "changed" and r["rows_change"]]
    content_only = [r for r in resources if r["status"] == "changed" and not r["rows_change"]]
    if rows_changed:
        parts.append(
            t(
                f"{len(rows_changed)} tabel berubah jumlah barisnya",
                f"{len(rows_changed)} tables changed their number of rows",
            )
        )
    if content_only:
        parts.append(t(f"{len(content_only)} tabel berubah isinya", f"{len(content_only)} tables changed content"))
    for key, id_word, en_word in (
        ("added", "tabel baru", "new tables"),
        ("removed", "tabel dihapus", "tables removed"),
    ):
        items = [f"{r['package']}/{r['resource']}" for r in resources if r["status"] == key]
        if items:
            parts.append(t(id_word, en_word) + ": " + ", ".join(items))
    for key, id_word, en_word in (
        ("fields_added", "kolom ditambah", "fields added"),
        ("fields_removed", "kolom dihapus", "fields removed"),
    ):
        items = [f"{r['package']}/{r['resource']}.{f}" for r in resources for f in r[key]]
        if items:
            parts.append(t(id_word, en_word) + ": " + ", ".join(items))
    for pkg_key, id_word, en_word in (
        ("packages_added", "paket baru", "new packages"),
        ("packages_removed", "paket dihapus", "packages removed"),
    ):
        if changes.get(pkg_key):
            parts.append(t(id_word, en_word) + ": " + ", ".join(changes[pkg_key]))
    for dimension, id_word, en_word in (
        ("kecamatan_kode", "kecamatan", "kecamatan"),
        ("kbli_kategori", "kategori KBLI", "KBLI categories"),
    ):
        rows = changes.get(dimension, [])
        if rows:
            unknown = t("tidak diketahui", "unknown")
            named = dimension == "kecamatan_kode"  # KBLI titles are long: the letter says enough here
            listed = ", ".join(
                f"{(r['name'] if named else '') or r['code'] or unknown} "
                + (
                    count_text(r["change"], lang, signed=True)
                    if r["change"] is not None
                    else f"{count_text(r['before'], lang)} -> {count_text(r['after'], lang)}"
                )
                for r in rows[:8]
            )
            more = t(f" dan {len(rows) - 8} lainnya", f" and {len(rows) - 8} more") if len(rows) > 8 else ""
            parts.append(
                t(f"jumlah berubah di {len(rows)} {id_word}", f"counts changed in {len(rows)} {en_word}")
                + f" ({listed}{more})"
            )
    for attribute, id_what, en_what in CHANGELOG_YES_NO.values():
        yes = next((r for r in changes.get(attribute, []) if r["code"] == "ya"), None)
        if yes is not None:
            shift = f" ({count_text(yes['change'], lang, signed=True)})" if yes["change"] is not None else ""
            parts.append(
                t(
                    f"pelaku {id_what} {count_text(yes['before'], lang)} menjadi {count_text(yes['after'], lang)}",
                    f"actors {en_what} {count_text(yes['before'], lang)} to {count_text(yes['after'], lang)}",
                )
                + shift
            )
    if not resources and not any(
        changes.get(d) for d in [*CHANGELOG_DIMENSIONS.values(), *(a for a, _, _ in CHANGELOG_YES_NO.values())]
    ):
        parts.append(t("tidak ada perubahan data", "no change in the data"))
    return head + " " + "; ".join(parts) + "."


def changelog_text(changes: dict) -> str:
    """CHANGELOG.txt of a release folder: the summary in both languages and the change tables as text."""
    lines = [changelog_summary(changes, "id"), "", changelog_summary(changes, "en"), ""]
    if not changes["first_release"]:
        resources = changes.get("resources", [])
        if resources:
            lines += ["Tabel / tables (status, baris sebelum -> sesudah / rows before -> after):"]
            for r in resources:
                extra = "".join(
                    f"; {label}: {', '.join(r[key])}"
                    for key, label in (("fields_added", "+kolom/fields"), ("fields_removed", "-kolom/fields"))
                    if r[key]
                )
                lines.append(
                    f"  {r['package']}/{r['resource']}: {r['status']}, "
                    f"{count_text(r['rows_before'], 'en')} -> {count_text(r['rows_after'], 'en')}{extra}"
                )
        for dimension in CHANGELOG_DIMENSIONS.values():
            if changes.get(dimension):
                lines += ["", f"{dimension} (sebelum -> sesudah / before -> after):"]
                lines += [
                    f"  {r['code'] or '(kosong/unknown)'}{(' ' + r['name']) if r['name'] else ''}: "
                    f"{count_text(r['before'], 'en')} -> {count_text(r['after'], 'en')}"
                    for r in changes[dimension]
                ]
    return "\n".join(lines).rstrip() + "\n"
