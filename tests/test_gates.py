"""The identifier scan finds an identifier wherever it hides in the public output, and nothing else."""

import pandas as pd

from umkm.gates import gates
from umkm.package import packages as package

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


# ---------------------------------------------------------------------------
# Issue 17: findings name the input row; ordinary words are no names; secrets of the environment
# ---------------------------------------------------------------------------

def _located_identifiers(ordinary=frozenset()):
    ods = pd.DataFrame({"source_row": [1, 2, 4], "nama_pemilik": ["Siti Aminah", "Mekar Sari", "Usaha Mikro"],
                        "nik": ["6471015508800002", "", ""], "no_hp": ["", "0812-3456-7890", ""],
                        "email": ["", "", "budi@contoh.id"]})
    normalised = pd.DataFrame({"source": ["ods"] * 3, "source_row": [1, 2, 4], "nik": ["6471015508800002", None, None],
                               "nib": [None] * 3, "phone": [None, "+6281234567890", None]})
    return gates.Identifiers.from_rows([ods], normalised, origins=(("ods.xlsx", 3),), sources=("ods",),
                                       ordinary=ordinary)


def test_a_finding_names_the_input_row_and_column_that_hold_the_identifier(tmp_path):
    (tmp_path / "p.html").write_text("<p>SITI AMINAH 6471015508800002 081234567890 budi@contoh.id</p>")
    found = sorted(line.split(": ", 1)[1] for line in gates.scan_identifiers([tmp_path], _located_identifiers()))
    assert found == ["e-mail bud… (input: ods.xlsx row 7, column email)",
                     "name SIT… (input: ods.xlsx row 4, column nama_pemilik)",
                     "number 0812… (input: ods.xlsx row 5, column no_hp)",
                     "number 6471… (input: ods.xlsx row 4, column nik)"]


def test_names_made_of_words_the_site_writes_itself_are_not_looked_for(tmp_path):
    from umkm.build.private import site_vocabulary

    identifiers = _located_identifiers(site_vocabulary())
    assert identifiers.skipped_names == 2 and identifiers.names == {"SITI AMINAH"}
    (tmp_path / "wilayah.html").write_text("<h1>Kelurahan Mekar Sari</h1><p>Usaha mikro: 120</p>")
    assert gates.scan_identifiers([tmp_path], identifiers) == []
    (tmp_path / "bocor.html").write_text("<p>Siti Aminah</p>")
    assert [line.split(": ", 1)[1] for line in gates.scan_identifiers([tmp_path], identifiers)] == [
        "name SIT… (input: ods.xlsx row 4, column nama_pemilik)"]


def test_held_back_owner_names_are_still_caught_with_the_ordinary_words_left_out(tmp_path):
    """Owner names of a synthetic register (never used to make the vocabulary) planted in a page: each one
    is caught, except the few made only of ordinary words, which are counted and kept rare."""
    from umkm import reference
    from umkm.build.private import site_vocabulary
    from umkm.ingest import synthetic

    register = synthetic.generate(reference.load(), seed=23, ods_rows=3000)
    ods = register.ods.assign(source_row=range(1, len(register.ods) + 1))
    empty = pd.DataFrame({"nik": [], "nib": [], "phone": []}, dtype=object)
    vocabulary = site_vocabulary()
    identifiers = gates.Identifiers.from_rows([ods], empty, ordinary=vocabulary, sources=("ods",),
                                              origins=(("ods.csv", 1),))
    everything = gates.Identifiers.from_rows([ods], empty)
    assert identifiers.names <= everything.names
    skipped = everything.names - identifiers.names
    assert len(skipped) == identifiers.skipped_names <= len(everything.names) * 0.01, sorted(skipped)[:20]
    held_back = sorted(identifiers.names)[::7]
    (tmp_path / "bocor.html").write_text("\n".join(f"<td>{name.title()}</td>" for name in held_back))
    caught = gates.scan_identifiers([tmp_path], identifiers)
    assert len(held_back) > 100
    expected = {f"name {n[:3]}… (input: {identifiers.describe(identifiers.where[n])})" for n in held_back}
    assert expected <= {line.split(": ", 1)[1] for line in caught}  # each held-back name caught at its own row
    assert all("(input: ods.csv row " in line for line in caught)


def test_secrets_of_the_environment_are_found_in_text_and_zips_but_never_printed(tmp_path):
    environ = {"UMKM_PSEUDONYM_KEY": "kunci-rahasia-rilis-2026", "GITHUB_TOKEN": "ghp_abcdefghijklmnop",
               "HOME": "/root", "UMKM_EXPORT_TOKEN": "short", "DEMO": "x"}
    secrets = gates.environment_secrets(environ, exclude=())
    assert set(secrets) == {"UMKM_PSEUDONYM_KEY", "GITHUB_TOKEN"}  # by name; values shorter than 8 are no secret
    (tmp_path / "environ.txt").write_bytes(b"PATH=/bin\x00UMKM_PSEUDONYM_KEY=kunci-rahasia-rilis-2026\x00")
    (tmp_path / "paket.zip").write_bytes(package.fixed_zip([("a/b.json", b'{"t": "ghp_abcdefghijklmnop"}')]))
    (tmp_path / "bersih.html").write_text("<p>kunci</p>")
    found = gates.scan_identifiers([tmp_path], IDS, secrets=secrets)
    assert sorted(line.removeprefix(f"{tmp_path}/") for line in found) == [
        "environ.txt: secret UMKM_PSEUDONYM_KEY (from the environment)",
        "paket.zip/a/b.json: secret GITHUB_TOKEN (from the environment)"]
    assert not any("kunci-rahasia" in line or "ghp_" in line for line in found)
    assert gates.environment_secrets({"UMKM_PSEUDONYM_KEY": "DEMO-KEY"}, exclude=("DEMO-KEY",)) == {}
