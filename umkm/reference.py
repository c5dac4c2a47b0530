"""Reference files in, in-memory code lists out (kecamatan, kelurahan, KBLI 2020, sentra, and their texts).

Called by build_data.py (the one place that reads files); the stages receive the
``Reference`` object and never open reference files themselves. The one exception: the
normaliser's editable mappings (kelurahan spellings, places outside the city, bidang usaha
words -> KBLI kategori), which staff and translators review as data in reference/*.csv, are
read once, when umkm/reconcile/normalise.py is imported, through the functions at the end.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass

import pandas as pd

from umkm import paths


@dataclass(frozen=True)
class Reference:
    kecamatan: pd.DataFrame  # kode_kemendagri, kode_bps, nama, ...
    kelurahan: pd.DataFrame  # kode_kemendagri, kode_kecamatan, nama, kode_pos, kode_bps, ...
    kbli_kelompok: pd.DataFrame  # kode (5 digits), judul, kategori, golongan_pokok
    kbli_golongan_pokok: pd.DataFrame  # golongan_pokok (2 digits), judul, kategori
    kbli_kategori: pd.DataFrame  # kategori (A..U), judul
    kbli_kategori_en: pd.DataFrame  # kategori (A..U), judul_en: the ISIC Rev. 4 section title
    sentra: pd.DataFrame  # sentra, kelurahan, kode_kelurahan, ...
    sentra_teks: pd.DataFrame  # sentra (slug), kolom, id, en: the site's texts of each sentra in both languages
    mobile_prefixes: pd.DataFrame  # prefix (0811...), operator
    population: pd.DataFrame  # kode_kemendagri, penduduk_2021 (weights only)
    kecamatan_geojson: dict
    kelurahan_geojson: dict


def _read_text_csv(path) -> pd.DataFrame:
    # Codes such as KBLI "01111" and golongan pokok "01" must stay text.
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def load() -> Reference:
    return Reference(
        kecamatan=_read_text_csv(paths.KECAMATAN_CSV),
        kelurahan=_read_text_csv(paths.KELURAHAN_CSV),
        kbli_kelompok=_read_text_csv(paths.KBLI_KELOMPOK_CSV),
        kbli_golongan_pokok=_read_text_csv(paths.KBLI_GOLONGAN_POKOK_CSV),
        kbli_kategori=_read_text_csv(paths.KBLI_KATEGORI_CSV),
        kbli_kategori_en=_read_text_csv(paths.KBLI_KATEGORI_EN_CSV),
        sentra=_read_text_csv(paths.SENTRA_CSV),
        sentra_teks=_read_text_csv(paths.SENTRA_TEKS_CSV),
        mobile_prefixes=_read_text_csv(paths.MOBILE_PREFIXES_CSV),
        population=_read_text_csv(paths.POPULATION_CSV),
        kecamatan_geojson=json.loads(paths.KECAMATAN_GEOJSON.read_text(encoding="utf-8")),
        kelurahan_geojson=json.loads(paths.KELURAHAN_GEOJSON.read_text(encoding="utf-8")),
    )


# ------------------------------------------------------------------ the normaliser's editable mappings


def _rows(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def kelurahan_aliases() -> dict[str, str | None]:
    """Spellings of a kelurahan that the reference names do not cover -> its reference name; None where the
    spelling names more than one kelurahan (reference/kelurahan_aliases.csv: ejaan, kelurahan, catatan)."""
    return {row["ejaan"]: row["kelurahan"] or None for row in _rows(paths.KELURAHAN_ALIASES_CSV)}


def outside_places() -> tuple[str, ...]:
    """Places near Balikpapan, outside it, as normalised keys (reference/outside_places.csv: kunci)."""
    return tuple(row["kunci"] for row in _rows(paths.OUTSIDE_PLACES_CSV))


def bidang_usaha_kategori() -> dict[str, str]:
    """Words of a free-text bidang usaha -> KBLI 2020 kategori, in the file's order: the first found wins
    (reference/bidang_usaha_kbli.csv: kata_kunci, kbli_kategori, catatan)."""
    return {row["kata_kunci"]: row["kbli_kategori"] for row in _rows(paths.BIDANG_USAHA_KBLI_CSV)}
