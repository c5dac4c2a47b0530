"""The identifier scan finds an identifier wherever it hides in the public output, and nothing else."""

import csv
import os
import shutil
import subprocess
import sys

import pandas as pd

from umkm import paths
from umkm.gates import identifiers as identifier_gate
from umkm.gates import scanner
from umkm.package import formats

IDS = identifier_gate.Identifiers(
    numbers=frozenset({"6471015508800002", "6281234567890", "081234567890"}),
    names=frozenset({"SITI AMINAH", "BUDI SANTOSO WIJAYA"}),
    emails=frozenset({"siti.aminah@gmail.com"}),
)


def test_clean_output_passes(tmp_path):
    (tmp_path / "a.csv").write_text("kecamatan_kode,jumlah\n64.71.03,120\n")
    (tmp_path / "index.html").write_text("<p>Batu Ampar: 80 pelaku, Siti saja</p>")
    assert scanner.scan_identifiers([tmp_path], IDS) == []


def test_identifiers_are_found_in_text_zip_workbook_and_parquet(tmp_path):
    (tmp_path / "page.html").write_text("<td>6471015508800002</td> <a>siti.aminah@gmail.com</a>")
    frame = pd.DataFrame({"nama": ["budi santoso wijaya"], "hp": ["6281234567890"]})
    (tmp_path / "t.parquet").write_bytes(formats.parquet_bytes(frame))
    workbook = formats.xlsx_bytes(
        pd.DataFrame({"x": ["Ibu Siti Aminah"]}),
        {
            "fields": [
                {"name": "x", "title": "", "title_en": "", "type": "string", "description": "", "description_en": ""}
            ]
        },
        "t",
    )
    (tmp_path / "bundle.zip").write_bytes(formats.fixed_zip([("pkg/x.xlsx", workbook)]))
    found = scanner.scan_identifiers([tmp_path], IDS)
    kinds = sorted((line.split(": ")[0].split("/")[-1], line.split(": ")[1].split()[0]) for line in found)
    assert ("page.html", "number") in kinds and ("page.html", "e-mail") in kinds
    assert ("t.parquet", "name") in kinds and ("t.parquet", "number") in kinds
    assert any(line.startswith(str(tmp_path / "bundle.zip")) and "name SIT" in line for line in found)


def test_the_same_bytes_in_two_places_are_reported_in_both(tmp_path):
    for folder in ("datapackages", "site"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.csv").write_text("hp\n081234567890\n")
    found = scanner.scan_identifiers([tmp_path / "datapackages", tmp_path / "site"], IDS)
    assert len(found) == 2


def test_an_identifier_cut_by_a_piece_boundary_is_still_found(tmp_path, monkeypatch):
    monkeypatch.setattr(scanner, "CHUNK", 64)
    monkeypatch.setattr(scanner, "OVERLAP", 32)
    text = "x" * 57 + " 6471015508800002 " + "y" * 100 + " siti aminah " + "z" * 100
    (tmp_path / "big.csv").write_text(text)
    (tmp_path / "big.zip").write_bytes(formats.fixed_zip([("big.csv", text.encode())]))
    found = scanner.scan_identifiers([tmp_path], IDS)
    assert sorted(line.split(": ")[1] for line in found if line.startswith(str(tmp_path / "big.csv"))) == [
        "name SIT…",
        "number 6471…",
    ]
    assert any("big.zip/big.csv: number 6471" in line for line in found)


def test_every_worker_reports_what_it_finds(tmp_path, monkeypatch):
    for i in range(6):  # files of different sizes: both workers take some
        (tmp_path / f"f{i}.csv").write_text("x\n" * (1000 * i) + ("081234567890\n" if i % 2 else "siti aminah\n"))
    forked = []
    in_processes = scanner._in_processes
    monkeypatch.setattr(scanner, "_in_processes", lambda *a: forked.append(a[2]) or in_processes(*a))
    found = {workers: scanner.scan_identifiers([tmp_path], IDS, workers=workers) for workers in (1, 2)}
    assert forked == [2]  # two processes were asked for, on any machine
    assert found[1] == found[2]
    assert [line.split(": ")[0].split("/")[-1] for line in found[2]] == [f"f{i}.csv" for i in range(6)]


def test_a_zip_member_with_the_bytes_of_a_file_is_reported_in_both(tmp_path):
    text = "nama\nBudi Santoso Wijaya\n" + "x\n" * 5000
    (tmp_path / "a.csv").write_text(text)
    (tmp_path / "b.zip").write_bytes(formats.fixed_zip([("in/a.csv", text.encode()), ("c.csv", b"clean\n")]))
    (tmp_path / "c.zip").write_bytes(formats.fixed_zip([("nested.zip", (tmp_path / "b.zip").read_bytes())]))
    for workers in (1, 2):
        memo: dict = {}
        found = scanner.scan_identifiers([tmp_path], IDS, memo=memo, workers=workers)
        assert [line.removeprefix(f"{tmp_path}/") for line in found] == [
            "a.csv: name BUD…",
            "b.zip/in/a.csv: name BUD…",
            "c.zip/nested.zip/in/a.csv: name BUD…",
        ]
        assert scanner.scan_identifiers([tmp_path], IDS, memo=memo, workers=workers) == found  # from the memo


def test_bytes_under_a_name_that_is_not_read_do_not_hide_them_under_one_that_is(tmp_path):
    text = b"hp\n081234567890\n"
    (tmp_path / "a.png").write_bytes(text)  # not read: an image
    (tmp_path / "b.zip").write_bytes(formats.fixed_zip([("leak.csv", text)]))
    assert scanner.scan_identifiers([tmp_path], IDS) == [f"{tmp_path}/b.zip/leak.csv: number 0812…"]


def test_names_are_whole_words(tmp_path):
    ids = identifier_gate.Identifiers(
        numbers=frozenset(), names=frozenset({"MUHAMMADIYAH SANTOSO", "AB CD EF GH"}), emails=frozenset()
    )
    (tmp_path / "no.txt").write_text("Muhammadi Santoso; Muhammadiyahs Santoso; XMUHAMMADIYAH SANTOSO; AB CD EF")
    (tmp_path / "yes.txt").write_text("..muhammadiyah  santoso! ab-cd-ef-gh")
    assert scanner.scan_identifiers([tmp_path], ids) == [
        f"{tmp_path}/yes.txt: name AB …",
        f"{tmp_path}/yes.txt: name MUH…",
    ]


def test_a_number_that_became_a_float_in_a_parquet_file_is_found(tmp_path):
    (tmp_path / "t.parquet").write_bytes(formats.parquet_bytes(pd.DataFrame({"nik": [6471015508800002.0, None]})))
    assert [line.split(": ")[1] for line in scanner.scan_identifiers([tmp_path], IDS)] == ["number 6471…"]


def test_each_number_of_a_cell_with_two_is_an_identifier():
    raw = pd.DataFrame({"no_hp": ["081100042198 / 081520056202", "0812-3456-7890 atau 0813 1111 2222", "-"]})
    normalised = pd.DataFrame({"nik": [None] * 3, "nib": [None] * 3, "phone": [None] * 3})
    found = identifier_gate.Identifiers.from_rows([raw], normalised)
    assert found.numbers.among([b"081100042198", b"081520056202", b"081234567890", b"081311112222"]) == {
        "081100042198",
        "081520056202",
        "081234567890",
        "081311112222",
    }
    assert not found.numbers.among([b"081100042198081520056202"])  # never the digits of two numbers run together


# ---------------------------------------------------------------------------
# Issue 17: findings name the input row; ordinary words are no names; secrets of the environment
# ---------------------------------------------------------------------------


def _located_identifiers(ordinary=frozenset()):
    ods = pd.DataFrame(
        {
            "source_row": [1, 2, 4],
            "nama_pemilik": ["Siti Aminah", "Mekar Sari", "Usaha Mikro"],
            "nik": ["6471015508800002", "", ""],
            "no_hp": ["", "0812-3456-7890", ""],
            "email": ["", "", "budi@contoh.id"],
        }
    )
    normalised = pd.DataFrame(
        {
            "source": ["ods"] * 3,
            "source_row": [1, 2, 4],
            "nik": ["6471015508800002", None, None],
            "nib": [None] * 3,
            "phone": [None, "+6281234567890", None],
        }
    )
    return identifier_gate.Identifiers.from_rows(
        [ods], normalised, origins=(("ods.xlsx", 3),), sources=("ods",), ordinary=ordinary
    )


def test_a_finding_names_the_input_row_and_column_that_hold_the_identifier(tmp_path):
    (tmp_path / "p.html").write_text("<p>SITI AMINAH 6471015508800002 081234567890 budi@contoh.id</p>")
    found = sorted(line.split(": ", 1)[1] for line in scanner.scan_identifiers([tmp_path], _located_identifiers()))
    assert found == [
        "e-mail bud… (input: ods.xlsx row 7, column email)",
        "name SIT… (input: ods.xlsx row 4, column nama_pemilik)",
        "number 0812… (input: ods.xlsx row 5, column no_hp)",
        "number 6471… (input: ods.xlsx row 4, column nik)",
    ]


def test_names_made_of_words_the_site_writes_itself_are_not_looked_for(tmp_path):

    identifiers = _located_identifiers(identifier_gate.site_words())
    assert identifiers.skipped_names == 2 and identifiers.names == {"SITI AMINAH"}
    (tmp_path / "wilayah.html").write_text("<h1>Kelurahan Mekar Sari</h1><p>Usaha mikro: 120</p>")
    assert scanner.scan_identifiers([tmp_path], identifiers) == []
    (tmp_path / "bocor.html").write_text("<p>Siti Aminah</p>")
    assert [line.split(": ", 1)[1] for line in scanner.scan_identifiers([tmp_path], identifiers)] == [
        "name SIT… (input: ods.xlsx row 4, column nama_pemilik)"
    ]


def test_held_back_owner_names_are_still_caught_with_the_ordinary_words_left_out(tmp_path):
    """Owner names of a synthetic register (never used to make the vocabulary) planted in a page: each one
    is caught, except the few made only of ordinary words, which are counted and kept rare."""
    from umkm import reference
    from umkm.ingest import synthetic

    register = synthetic.generate(reference.load(), seed=23, ods_rows=3000)
    ods = register.ods.assign(source_row=range(1, len(register.ods) + 1))
    empty = pd.DataFrame({"nik": [], "nib": [], "phone": []}, dtype=object)
    vocabulary = identifier_gate.site_words()
    identifiers = identifier_gate.Identifiers.from_rows(
        [ods], empty, ordinary=vocabulary, sources=("ods",), origins=(("ods.csv", 1),)
    )
    everything = identifier_gate.Identifiers.from_rows([ods], empty)
    assert identifiers.names <= everything.names
    skipped = everything.names - identifiers.names
    assert len(skipped) == identifiers.skipped_names <= len(everything.names) * 0.01, sorted(skipped)[:20]
    held_back = sorted(identifiers.names)[::7]
    (tmp_path / "bocor.html").write_text("\n".join(f"<td>{name.title()}</td>" for name in held_back))
    caught = scanner.scan_identifiers([tmp_path], identifiers)
    assert len(held_back) > 100
    expected = {f"name {n[:3]}… (input: {identifiers.describe(identifiers.where[n])})" for n in held_back}
    assert expected <= {line.split(": ", 1)[1] for line in caught}  # each held-back name caught at its own row
    assert all("(input: ods.csv row " in line for line in caught)


def test_secrets_of_the_environment_are_found_in_text_and_zips_but_never_printed(tmp_path):
    environ = {
        "UMKM_PSEUDONYM_KEY": "kunci-rahasia-rilis-2026",
        "GITHUB_TOKEN": "ghp_abcdefghijklmnop",
        "HOME": "/root",
        "UMKM_EXPORT_TOKEN": "short",
        "DEMO": "x",
    }
    secrets = identifier_gate.environment_secrets(environ, exclude=())
    assert set(secrets) == {"UMKM_PSEUDONYM_KEY", "GITHUB_TOKEN"}  # by name; values shorter than 8 are no secret
    (tmp_path / "environ.txt").write_bytes(b"PATH=/bin\x00UMKM_PSEUDONYM_KEY=kunci-rahasia-rilis-2026\x00")
    (tmp_path / "paket.zip").write_bytes(formats.fixed_zip([("a/b.json", b'{"t": "ghp_abcdefghijklmnop"}')]))
    (tmp_path / "bersih.html").write_text("<p>kunci</p>")
    found = scanner.scan_identifiers([tmp_path], IDS, secrets=secrets)
    assert sorted(line.removeprefix(f"{tmp_path}/") for line in found) == [
        "environ.txt: secret UMKM_PSEUDONYM_KEY (from the environment)",
        "paket.zip/a/b.json: secret GITHUB_TOKEN (from the environment)",
    ]
    assert not any("kunci-rahasia" in line or "ghp_" in line for line in found)
    assert identifier_gate.environment_secrets({"UMKM_PSEUDONYM_KEY": "DEMO-KEY"}, exclude=("DEMO-KEY",)) == {}


# ------------------------------------------------------------------ python -m umkm.gates scan (the nightly's gate)


def run_scan(out, *extra, ods=None, oss=None, environ=None) -> subprocess.CompletedProcess:
    inputs = out / "private" / "demo-input"
    env = {k: v for k, v in os.environ.items() if k != "UMKM_PSEUDONYM_KEY"} if environ is None else environ
    command = [
        sys.executable,
        "-m",
        "umkm.gates",
        "scan",
        str(out),
        "--ods",
        str(ods or inputs / "ods.csv"),
        "--oss",
        str(oss or inputs / "oss.csv"),
        *extra,
    ]
    return subprocess.run(command, capture_output=True, text=True, cwd=paths.REPO, env=env, timeout=600)


def test_the_scan_command_passes_a_clean_build(demo_output):
    """A whole demo build (whose input plants a header row, "NAMA PEMILIK", among the data) is clean."""
    result = run_scan(demo_output)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith(": 0 problem(s)") and result.stderr == ""


def _first_row(path, column: str, wanted) -> tuple[dict, int]:
    """The first data row of a CSV export whose value in ``column`` passes ``wanted``, and its line number."""
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        for row in reader:
            if wanted(row[column]):
                return row, reader.line_num
    raise AssertionError(f"no such {column}")


def test_the_scan_command_finds_planted_identifiers_names_them_and_exits_3(demo_output, tmp_path):
    out = tmp_path / "out"
    for folder in ("datapackages", "site"):
        shutil.copytree(demo_output / folder, out / folder)
    ods = demo_output / "private" / "demo-input" / "ods.csv"
    plain = str.isdigit
    nik_row, nik_line = _first_row(ods, "nik", lambda v: len(v) == 16 and plain(v))
    phone_row, phone_line = _first_row(ods, "no_hp", lambda v: len(v) >= 11 and plain(v) and v.startswith("08"))
    mail_row, mail_line = _first_row(ods, "email", lambda v: "@" in v)
    name_row, name_line = _first_row(ods, "nama_pemilik", lambda v: len(v.split()) == 3 and v.isascii())
    planted = {
        "nik.html": nik_row["nik"],
        "hp.csv": phone_row["no_hp"],
        "surel.json": mail_row["email"].upper(),
        "nama.html": name_row["nama_pemilik"].lower(),
    }
    for name, value in planted.items():
        (out / "site" / "unduh" / name).write_text(f"<p>x {value} x</p>", encoding="utf-8")
    key = "kunci-rahasia-rilis-2026-yang-panjang"
    (out / "datapackages" / "kunci.txt").write_text(key)
    environ = {k: v for k, v in os.environ.items() if k != "UMKM_PSEUDONYM_KEY"} | {"UMKM_PSEUDONYM_KEY": key}
    result = run_scan(out, ods=ods, oss=ods.with_name("oss.csv"), environ=environ)
    assert result.returncode == 3, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    found = {tuple(line.removeprefix(f"{out}/").split(": ", 1)) for line in lines[:-1]}
    assert {
        ("site/unduh/nik.html", f"number {planted['nik.html'][:4]}… (input: ods.csv row {nik_line}, column nik)"),
        ("site/unduh/hp.csv", f"number {planted['hp.csv'][:4]}… (input: ods.csv row {phone_line}, column no_hp)"),
        (
            "site/unduh/surel.json",
            f"e-mail {planted['surel.json'][:3].lower()}… (input: ods.csv row {mail_line}, column email)",
        ),
        (
            "site/unduh/nama.html",
            f"name {planted['nama.html'][:3].upper()}… (input: ods.csv row {name_line}, column nama_pemilik)",
        ),
        ("datapackages/kunci.txt", "secret UMKM_PSEUDONYM_KEY (from the environment)"),
    } <= found, result.stdout
    # nothing else: an e-mail or a name may hold another owner's name too ("siti.aminah@" holds SITI AMINAH)
    assert {file for file, _ in found} == {f"site/unduh/{name}" for name in planted} | {"datapackages/kunci.txt"}
    assert lines[-1].endswith(f": {len(found)} problem(s)")
    assert not any(value in result.stdout for value in planted.values()) and key not in result.stdout
    assert "::error::" not in result.stdout  # only with --github, as the nightly asks
    annotated = run_scan(out, "--github", ods=ods, oss=ods.with_name("oss.csv"), environ=environ)
    assert annotated.returncode == 3 and all(
        line.startswith("::error::") for line in annotated.stdout.splitlines()[:-1]
    )


def test_the_scan_command_stops_a_private_file_and_a_site_without_its_index(tmp_path, demo_output):
    out = tmp_path / "out"
    (out / "site" / "unduh").mkdir(parents=True)
    (out / "datapackages").mkdir()
    (out / "site" / "unduh" / "actor_ids.csv").write_text("a\n1\n")
    inputs = demo_output / "private" / "demo-input"
    result = run_scan(out, ods=inputs / "ods.csv", oss=inputs / "oss.csv")
    assert result.returncode == 3
    assert f"{out}/site/unduh/actor_ids.csv: a private file in the public output" in result.stdout
    assert f"{out}/site/index.html: missing" in result.stdout


def test_the_scan_command_exits_2_on_bad_arguments_and_inputs(tmp_path):
    out = tmp_path / "out"
    (out / "site").mkdir(parents=True)
    (out / "site" / "index.html").write_text("<p>UMKM</p>")
    good = tmp_path / "oss.csv"
    good.write_text("nama_usaha,nib\nToko,1234567890123\n")
    missing = run_scan(out, ods=tmp_path / "tidak-ada.csv", oss=good)
    assert missing.returncode == 2 and "--ods: no such file" in missing.stderr and missing.stdout == ""
    assert run_scan(tmp_path / "tidak-ada", ods=good, oss=good).returncode == 2  # no output folder
    broken = tmp_path / "ods.csv"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    unreadable = run_scan(out, ods=broken, oss=good)
    assert unreadable.returncode == 2 and "ods.csv" in unreadable.stderr and "Traceback" not in unreadable.stderr
    usage = subprocess.run(
        [sys.executable, "-m", "umkm.gates", "scan", str(out)],
        capture_output=True,
        text=True,
        cwd=paths.REPO,
        timeout=120,
    )
    assert usage.returncode == 2 and "--ods" in usage.stderr


def test_the_scan_command_explains_itself_and_its_exit_status():
    result = subprocess.run(
        [sys.executable, "-m", "umkm.gates", "scan", "--help"],
        capture_output=True,
        text=True,
        cwd=paths.REPO,
        timeout=120,
    )
    assert result.returncode == 0
    for words in (
        "OUT/datapackages and OUT/site",
        "0  clean",
        "2  bad arguments",
        "3  findings",
        "--github",
        "UMKM_PSEUDONYM_KEY",
    ):
        assert words in result.stdout, words


def test_the_scan_command_leaves_out_the_build_s_public_demo_key_and_shares_its_exit_codes():
    from umkm.build import cli
    from umkm.gates import __main__ as command

    assert command.DEMO_KEY is cli.DEMO_KEY  # the one in umkm/vocabulary.py
    assert command.EXIT_FOUND == cli.EXIT_GATE_FAILED and command.EXIT_BAD_INPUT == cli.EXIT_BAD_INPUT


def test_the_scan_command_leaves_out_the_names_made_of_the_site_s_own_words(tmp_path):
    """As the build's gate: an owner "name" made only of words the site writes itself (a kelurahan, "Usaha
    Mikro") is not looked for by ``python -m umkm.gates scan`` either, so the nightly's scan of a clean build
    does not stop on the site's own words."""
    from umkm.gates import __main__ as command

    assert {"MEKAR", "SARI", "USAHA", "MIKRO"} <= identifier_gate.site_words()
    ods = tmp_path / "ods.csv"
    ods.write_text(
        "nama_usaha,nama_pemilik,nik,kelurahan,no_hp\n"
        "Warung,Mekar Sari,6471010101900001,Mekar Sari,081234567890\n"
        "Toko,Siti Rahmawati Lestari,6471010101900002,Mekar Sari,081234567891\n",
        encoding="utf-8",
    )
    oss = tmp_path / "oss.csv"
    oss.write_text(
        "nib,nik,kd_daerah,kbli,nama_pelaku_usaha\n1234567890123,6471010101900003,6471010,47111,Budi Santoso\n",
        encoding="utf-8",
    )
    found = command.export_identifiers(ods, oss)
    assert "MEKAR SARI" not in found.names and found.skipped_names == 1
    assert {"SITI RAHMAWATI LESTARI", "BUDI SANTOSO"} <= found.names
