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


def test_every_worker_reports_what_it_finds(tmp_path, monkeypatch):
    for i in range(6):  # files of different sizes: both workers take some
        (tmp_path / f"f{i}.csv").write_text("x\n" * (1000 * i) + ("081234567890\n" if i % 2 else "siti aminah\n"))
    forked = []
    in_processes = gates._in_processes
    monkeypatch.setattr(gates, "_in_processes", lambda *a: forked.append(a[2]) or in_processes(*a))
    found = {workers: gates.scan_identifiers([tmp_path], IDS, workers=workers) for workers in (1, 2)}
    assert forked == [2]  # two processes were asked for, on any machine
    assert found[1] == found[2]
    assert [line.split(": ")[0].split("/")[-1] for line in found[2]] == [f"f{i}.csv" for i in range(6)]


def test_a_zip_member_with_the_bytes_of_a_file_is_reported_in_both(tmp_path):
    text = "nama\nBudi Santoso Wijaya\n" + "x\n" * 5000
    (tmp_path / "a.csv").write_text(text)
    (tmp_path / "b.zip").write_bytes(package.fixed_zip([("in/a.csv", text.encode()), ("c.csv", b"clean\n")]))
    (tmp_path / "c.zip").write_bytes(package.fixed_zip([("nested.zip", (tmp_path / "b.zip").read_bytes())]))
    for workers in (1, 2):
        memo: dict = {}
        found = gates.scan_identifiers([tmp_path], IDS, memo=memo, workers=workers)
        assert [line.removeprefix(f"{tmp_path}/") for line in found] == [
            "a.csv: name BUD…", "b.zip/in/a.csv: name BUD…", "c.zip/nested.zip/in/a.csv: name BUD…"]
        assert gates.scan_identifiers([tmp_path], IDS, memo=memo, workers=workers) == found  # from the memo


def test_bytes_under_a_name_that_is_not_read_do_not_hide_them_under_one_that_is(tmp_path):
    text = b"hp\n081234567890\n"
    (tmp_path / "a.png").write_bytes(text)  # not read: an image
    (tmp_path / "b.zip").write_bytes(package.fixed_zip([("leak.csv", text)]))
    assert gates.scan_identifiers([tmp_path], IDS) == [f"{tmp_path}/b.zip/leak.csv: number 0812…"]


def test_names_are_whole_words(tmp_path):
    ids = gates.Identifiers(numbers=frozenset(), names=frozenset({"MUHAMMADIYAH SANTOSO", "AB CD EF GH"}),
                            emails=frozenset())
    (tmp_path / "no.txt").write_text("Muhammadi Santoso; Muhammadiyahs Santoso; XMUHAMMADIYAH SANTOSO; AB CD EF")
    (tmp_path / "yes.txt").write_text("..muhammadiyah  santoso! ab-cd-ef-gh")
    assert gates.scan_identifiers([tmp_path], ids) == [f"{tmp_path}/yes.txt: name AB …",
                                                       f"{tmp_path}/yes.txt: name MUH…"]


def test_a_number_that_became_a_float_in_a_parquet_file_is_found(tmp_path):
    (tmp_path / "t.parquet").write_bytes(package.parquet_bytes(pd.DataFrame({"nik": [6471015508800002.0, None]})))
    assert [line.split(": ")[1] for line in gates.scan_identifiers([tmp_path], IDS)] == ["number 6471…"]


def test_each_number_of_a_cell_with_two_is_an_identifier():
    raw = pd.DataFrame({"no_hp": ["081100042198 / 081520056202", "0812-3456-7890 atau 0813 1111 2222", "-"]})
    normalised = pd.DataFrame({"nik": [None] * 3, "nib": [None] * 3, "phone": [None] * 3})
    found = gates.Identifiers.from_rows([raw], normalised)
    assert found.numbers.among([b"081100042198", b"081520056202", b"081234567890", b"081311112222"]) == {
        "081100042198", "081520056202", "081234567890", "081311112222"}
    assert not found.numbers.among([b"081100042198081520056202"])  # never the digits of two numbers run together
