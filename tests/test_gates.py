"""The identifier scan finds an identifier wherever it hides in the public output, and nothing else."""

import pandas as pd

from umkm import gates, package

IDS = gates.Identifiers(numbers=frozenset({"6471015508800002", "6281234567890", "081234567890"}),
                        names=frozenset({"SITI AMINAH", "BUDI SANTOSO WIJAYA"}),
                        emails=frozenset({"siti.aminah@gmail.com"}))


def test_clean_output_passes(tmp_path):
    (tmp_path / "a.csv").write_text("kecamatan_kode,jumlah\n64.71.03,120\n")
    (tmp_path / "index.html").write_text("<p>Batu Ampar: 80 pelaku, Siti saja</p>")
    assert gates.scan_identifiers([tmp_path], IDS) == []


def test_identifiers_are_found_in_text_zip_workbook_and_parquet(tmp_path):
    (tmp_path / "page.html").write_text("<td>6471015508800002</td> <a>siti.aminah@gmail.com</a>")
    frame = pd.DataFrame({"nama": ["budi santoso wijaya"], "hp": ["6281234567890"]})
    (tmp_path / "t.parquet").write_bytes(package.parquet_bytes(frame))
    workbook = package.xlsx_bytes(pd.DataFrame({"x": ["Ibu Siti Aminah"]}),
                                  {"fields": [{"name": "x", "title": "", "title_en": "", "type": "string",
                                               "description": "", "description_en": ""}]}, "t")
    (tmp_path / "bundle.zip").write_bytes(package.fixed_zip([("pkg/x.xlsx", workbook)]))
    found = gates.scan_identifiers([tmp_path], IDS)
    kinds = sorted((line.split(": ")[0].split("/")[-1], line.split(": ")[1].split()[0]) for line in found)
    assert ("page.html", "number") in kinds and ("page.html", "e-mail") in kinds
    assert ("t.parquet", "name") in kinds and ("t.parquet", "number") in kinds
    assert any(line.startswith(str(tmp_path / "bundle.zip")) and "name SIT" in line for line in found)


def test_the_same_bytes_in_two_places_are_reported_in_both(tmp_path):
    for folder in ("datapackages", "site"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.csv").write_text("hp\n081234567890\n")
    found = gates.scan_identifiers([tmp_path / "datapackages", tmp_path / "site"], IDS)
    assert len(found) == 2


def test_an_identifier_cut_by_a_piece_boundary_is_still_found(tmp_path, monkeypatch):
    monkeypatch.setattr(gates, "CHUNK", 64)
    monkeypatch.setattr(gates, "OVERLAP", 32)
    text = "x" * 57 + " 6471015508800002 " + "y" * 100 + " siti aminah " + "z" * 100
    (tmp_path / "big.csv").write_text(text)
    (tmp_path / "big.zip").write_bytes(package.fixed_zip([("big.csv", text.encode())]))
    found = gates.scan_identifiers([tmp_path], IDS)
    assert sorted(line.split(": ")[1] for line in found if line.startswith(str(tmp_path / "big.csv"))) == [
        "name SIT…", "number 6471…"]
    assert any("big.zip/big.csv: number 6471" in line for line in found)
