"""The private state sealed for a hosted runner: AES-256-GCM, nothing readable, nothing forged or unsafe opens."""

import os

import pytest

from umkm.build import state

KEY = bytes(range(32))


@pytest.fixture()
def private(tmp_path):
    folder = tmp_path / "private"
    (folder / "rilis").mkdir(parents=True)
    (folder / "actor_ids.csv").write_text("fingerprint,actor_id\nf1,A000001\n")
    (folder / "rilis" / "2026.10.31.json").write_text('{"retries": {}}')
    (folder / "review.xlsx").write_bytes(b"PK\x03\x04 workbook bytes")
    return folder


def test_seal_and_unseal_give_back_every_file(private, tmp_path):
    sealed = state.seal(private, KEY)
    assert b"actor_id" not in sealed and b"A000001" not in sealed
    written = state.unseal(sealed, KEY, tmp_path / "back")
    assert sorted(written) == ["actor_ids.csv", "review.xlsx", "rilis/2026.10.31.json"]
    for name in written:
        assert (tmp_path / "back" / name).read_bytes() == (private / name).read_bytes()
        assert ((tmp_path / "back" / name).stat().st_mode & 0o777) == 0o600
    assert ((tmp_path / "back").stat().st_mode & 0o777) == 0o700


def test_a_wrong_key_or_a_changed_byte_opens_nothing(private, tmp_path):
    sealed = state.seal(private, KEY)
    with pytest.raises(state.StateError, match="does not open"):
        state.unseal(sealed, bytes(32), tmp_path / "wrong")
    tampered = bytearray(sealed)
    tampered[-40] ^= 1
    with pytest.raises(state.StateError, match="does not open"):
        state.unseal(bytes(tampered), KEY, tmp_path / "tampered")
    with pytest.raises(state.StateError, match="not a sealed"):
        state.unseal(b"PK\x03\x04 not ours", KEY, tmp_path / "other")
    assert not (tmp_path / "wrong").exists() and not (tmp_path / "tampered").exists()


def test_a_link_in_the_private_folder_is_refused(private, tmp_path):
    os.symlink("/etc/passwd", private / "x")
    with pytest.raises(state.StateError, match="link"):
        state.seal(private, KEY)


def test_key_forms_and_the_command_line(private, tmp_path, monkeypatch, capsys):
    assert state.parse_key(KEY.hex()) == KEY
    import base64

    assert state.parse_key(base64.b64encode(KEY).decode()) == KEY
    with pytest.raises(state.StateError, match="32 bytes"):
        state.parse_key("abcd")
    with pytest.raises(state.StateError, match="not set"):
        state.parse_key("")
    monkeypatch.setenv(state.KEY_ENV, KEY.hex())
    assert state.main(["seal", str(private), str(tmp_path / "s.bin")]) == 0
    assert state.main(["unseal", str(tmp_path / "s.bin"), str(tmp_path / "back")]) == 0
    assert (tmp_path / "back" / "actor_ids.csv").read_text() == (private / "actor_ids.csv").read_text()
    monkeypatch.setenv(state.KEY_ENV, bytes(32).hex())
    assert state.main(["unseal", str(tmp_path / "s.bin"), str(tmp_path / "again")]) == 2
    assert "does not open" in capsys.readouterr().err
