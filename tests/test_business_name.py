"""Business names: their kind, their distinctive words, and which two name one business."""

import pytest

from umkm.reconcile import business_name


@pytest.mark.parametrize(
    "name, kinds, words",
    [
        ("WARUNG MAKAN BU SRI", {"kuliner"}, ("SRI",)),
        ("RM MAMA JAMILAH", {"kuliner"}, ("JAMILAH",)),
        ("BENGKEL BERSAUDARA", {"otomotif"}, ("BERSAUDARA",)),
        ("SERVIS MOTOR BERSAUDARA", {"otomotif"}, ("BERSAUDARA",)),  # the longest phrase, not SERVIS then MOTOR
        ("TOKO KELONTONG AL IKHLAS", {"toko"}, ("AL", "IKHLAS")),
        ("TOKO LAUNDRY SEDAP", {"laundry"}, ("SEDAP",)),  # TOKO says nothing of the kind
        ("KIOS PULSA CAHAYA", {"ponsel"}, ("CAHAYA",)),
        ("LAPAK IKAN BU JAMILAH", set(), ("IKAN", "JAMILAH")),
        ("SABLON KILAT", {"jahit", "cetak"}, ("KILAT",)),
        ("UD BAROKAH BALIKPAPAN", set(), ("BAROKAH",)),
    ],
)
def test_parts(name, kinds, words):
    assert business_name.parts(name) == (frozenset(kinds), words)


def test_core_sorts_the_distinctive_words_and_is_none_without_any():
    assert (
        business_name.core("KELONTONG AL IKHLAS TOKO") == business_name.core("TOKO KELONTONG AL IKHLAS") == "AL IKHLAS"
    )
    assert business_name.core("TOKO KELONTONG") is None


@pytest.mark.parametrize(
    "a, b",
    [
        ("BENGKEL BERSAUDARA", "SERVIS MOTOR BERSAUDARA"),  # the kind renamed
        ("TOKO KELONTONG MAMA RATNASARI", "TK MAMA RATNASARI"),  # abbreviated
        ("SALON LESTARI", "TOKO SALON LESTARI"),  # TOKO put before it
        ("LAUNDRY GUNUNG SARI ULU", "BINATU GUNUNG SARI ULU"),
        ("GEROBAK ENTOL ANNISA", "PENTOL ANNISA"),  # a word mistyped, a kind word before it
        ("BAHAGIA MTOOR BALIKPAPAN", "BAHAGIA MOTOR"),
        ("KEBUN INDAH BALIKPAPAN", "KEBUN INDAH"),  # the city added
        ("KERAJINAN UMI YULIANA", "UMIYULIANA KERAJINAN"),  # words joined and swapped
        ("WARUNG MAKAN BU SRI", "BU SRI"),  # the kind dropped
        ("AMPLANG TERITIP", "AMPLANG TERITIB"),
    ],
)
def test_one_business_written_two_ways(a, b):
    assert business_name.similar(a, b) and business_name.similar(b, a)


@pytest.mark.parametrize(
    "a, b",
    [
        ("WARUNG MAKAN BU SRI", "LAUNDRY BU SRI"),  # one owner, two businesses: kinds contradict
        ("SALON KARANG JATI", "LAUNDRY KARANG JATI"),
        ("KUE HARAPAN", "BENGKEL HARAPAN"),
        ("LAUNDRY BERSIH", "TOKO BAROKAH"),
        ("KONTER PULSA SEJAHTERA", "TOKO PAKAIAN ETAM"),
    ],
)
def test_two_businesses(a, b):
    assert not business_name.similar(a, b) and not business_name.similar(b, a)


def test_a_name_is_licensed_under_the_kbli_of_its_kinds():
    assert business_name.licensed_under("SALON BU FATIMAH") >= {"96"}
    assert "10" not in business_name.licensed_under("SALON BU FATIMAH")  # crackers are another business
    assert business_name.licensed_under("TOKO BAROKAH") == frozenset()  # no kind: no constraint
    assert set(business_name.KIND_KBLI) == set(business_name.KINDS)
