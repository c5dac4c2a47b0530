"""Business names (normalised keys) in, their kind, their distinctive words and whether two name the same business out.

A business name says what kind of place it is ("WARUNG MAKAN", "BENGKEL", "LAUNDRY") and which
one ("BAROKAH", "BU SRI", "KARANG JATI"). Staff and owners write the kind in many ways
("RUMAH MAKAN", "RM", "DEPOT"; "BENGKEL", "SERVIS MOTOR", "TAMBAL BAN"), drop it, add the city,
or swap the words. Two names are the same business when their distinctive words agree
(allowing a typo in a word) and their kinds do not contradict each other: "BENGKEL BERSAUDARA"
and "SERVIS MOTOR BERSAUDARA" are one workshop, "WARUNG MAKAN BU SRI" and "LAUNDRY BU SRI" are
two businesses of one owner.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz

# Kinds of business as they are written, by family: words of one family name the same kind.
# A phrase may belong to two families ("SABLON": screen printing on cloth or on paper).
KINDS = {
    "kuliner": (
        "WARUNG MAKAN",
        "RUMAH MAKAN",
        "RM",
        "DEPOT MAKAN",
        "RESTORAN",
        "RESTO",
        "WARTEG",
        "KEDAI MAKAN",
        "KEDAI KOPI",
        "WARKOP",
        "WARUNG KOPI",
        "KOPI",
        "KAFE",
        "CAFE",
        "CATERING",
        "KATERING",
        "JASA BOGA",
        "DAPUR",
        "ANGKRINGAN",
        "LESEHAN",
        "GEROBAK",
        "KULINER",
        "MAKAN",
        "NASI",
    ),
    "olahan": (
        "KUE",
        "KUE BASAH",
        "ANEKA KUE",
        "ROTI",
        "ROTI DAN KUE",
        "BAKERY",
        "KERIPIK",
        "KERUPUK",
        "AMPLANG",
        "SNACK",
        "CAMILAN",
        "CEMILAN",
        "FROZEN FOOD",
        "TAHU",
        "TEMPE",
        "SAMBAL",
        "JAMU",
        "OLAHAN",
    ),
    "toko": ("KELONTONG", "TOKO KELONTONG", "SEMBAKO", "TOKO SEMBAKO", "GROSIR", "MINIMARKET", "MART", "AGEN"),
    "ponsel": ("KONTER", "KONTER PULSA", "KIOS PULSA", "PULSA", "CELL", "CELLULAR", "PONSEL", "PHONE"),
    "pakaian": ("BUTIK", "FASHION", "FESYEN", "BUSANA", "PAKAIAN", "TOKO PAKAIAN", "DISTRO", "OLSHOP", "ONLINE SHOP"),
    "laundry": ("LAUNDRY", "LAUNDRI", "BINATU", "LAUNDRY KILOAN", "DRY CLEAN"),
    "kecantikan": (
        "SALON",
        "SALON KECANTIKAN",
        "BEAUTY",
        "RIAS",
        "RIAS PENGANTIN",
        "MUA",
        "MAKE UP",
        "SPA",
        "BARBER",
        "BARBERSHOP",
        "PANGKAS RAMBUT",
        "CUKUR",
    ),
    "otomotif": (
        "BENGKEL",
        "BENGKEL MOTOR",
        "BENGKEL MOBIL",
        "SERVIS MOTOR",
        "SERVICE MOTOR",
        "TAMBAL BAN",
        "MOTOR",
        "CUCI MOTOR",
        "CUCI MOBIL",
        "SPAREPART",
        "OTOMOTIF",
        "AUTO",
    ),
    "jahit": ("PENJAHIT", "JAHIT", "KONVEKSI", "TAILOR", "BORDIR", "SABLON"),
    "cetak": ("FOTOKOPI", "FOTOCOPY", "FOTO KOPI", "PERCETAKAN", "DIGITAL PRINTING", "PRINTING", "SABLON"),
    "rental": ("RENTAL", "RENTAL MOBIL", "RENT CAR", "SEWA", "SEWA MOBIL", "TRAVEL", "TOUR"),
    "kerajinan": ("KERAJINAN", "ANYAMAN", "ROTAN", "KRIYA", "HANDICRAFT", "SOUVENIR", "MEBEL", "FURNITURE"),
    "tani": (
        "BUDIDAYA IKAN",
        "KOLAM IKAN",
        "TAMBAK",
        "BUDIDAYA",
        "KEBUN",
        "TANI",
        "TERNAK",
        "HIDROPONIK",
        "PERIKANAN",
        "PETERNAKAN",
    ),
    "pendidikan": ("BIMBEL", "LES", "LES PRIVAT", "KURSUS", "BIMBINGAN BELAJAR"),
}
# The KBLI 2020 golongan pokok (first two digits) each kind of business is licensed under:
# an OSS row's KBLI outside them is another business (of the same owner, perhaps).
KIND_KBLI = {
    "kuliner": ("56", "10", "11", "47"),
    "olahan": ("10", "11", "47", "56"),
    "toko": ("47", "46"),
    "ponsel": ("47", "95", "61", "46"),
    "pakaian": ("47", "14", "13", "46"),
    "laundry": ("96",),
    "kecantikan": ("96", "47"),
    "otomotif": ("45", "33", "47"),
    "jahit": ("14", "13", "96"),
    "cetak": ("18", "82", "73", "74"),
    "rental": ("77", "49", "79"),
    "kerajinan": ("16", "13", "31", "32", "47", "15"),
    "tani": ("01", "03", "10", "02"),
    "pendidikan": ("85",),
}
assert set(KIND_KBLI) == set(KINDS)
# Words that say neither what nor which: legal forms, places that sell anything ("TOKO X" may
# be a shop of any kind, and staff put "TOKO" before names that lacked it), how customers
# address the owner, the city.
GENERIC = frozenset(
    {
        "UD",
        "CV",
        "PT",
        "USAHA",
        "TOKO",
        "TK",
        "KIOS",
        "WARUNG",
        "KEDAI",
        "DEPOT",
        "LAPAK",
        "GERAI",
        "OUTLET",
        "BU",
        "PAK",
        "MBAK",
        "MAS",
        "IBU",
        "BAPAK",
        "BUNDA",
        "MAMA",
        "MAK",
        "JULAK",
        "ACIL",
        "UMI",
        "ABAH",
        "BANG",
        "DAENG",
        "OM",
        "TANTE",
        "THE",
        "DAN",
        "AND",
        "BALIKPAPAN",
        "BPP",
    }
)
SAME_WORD = 80.0  # fuzz.ratio at or above which two distinctive words are one word mistyped
SAME_NAME = 80.0  # fuzz.ratio at or above which two whole names are one name mistyped

_FAMILIES: dict[str, frozenset[str]] = {}
for _family, _phrases in KINDS.items():
    for _phrase in _phrases:
        _FAMILIES[_phrase] = _FAMILIES.get(_phrase, frozenset()) | {_family}
_LONGEST = max(len(p.split()) for p in _FAMILIES)
_STARTS = frozenset(p.split()[0] for p in _FAMILIES)  # the words a kind phrase can begin with


@lru_cache(maxsize=500_000)
def parts(name: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The kinds (families) a name states and its distinctive words, in their order."""
    words = name.split()
    kinds: set[str] = set()
    distinctive: list[str] = []
    at, end = 0, len(words)
    while at < end:
        word = words[at]
        if word in _STARTS:
            for size in range(min(_LONGEST, end - at), 0, -1):  # the longest phrase first
                families = _FAMILIES.get(" ".join(words[at : at + size]))
                if families:
                    kinds |= families
                    at += size
                    break
            else:
                if word not in GENERIC:
                    distinctive.append(word)
                at += 1
            continue
        if word not in GENERIC:
            distinctive.append(word)
        at += 1
    return frozenset(kinds), tuple(distinctive)


@lru_cache(maxsize=500_000)
def licensed_under(name: str) -> frozenset[str]:
    """The KBLI golongan pokok the kinds a name states are licensed under (empty: no kind stated)."""
    return frozenset(code for kind in parts(name)[0] for code in KIND_KBLI[kind])


def core(name: str) -> str | None:
    """The distinctive words, sorted: "TOKO KELONTONG AL IKHLAS" and "KELONTONG AL IKHLAS TOKO" meet."""
    words = sorted(parts(name)[1])
    return " ".join(words) if words else None


def _matched(words: tuple[str, ...], others: tuple[str, ...]) -> int:
    """How many of `words` have an equal or mistyped twin among `others`."""
    return sum(any(w == o or fuzz.ratio(w, o) >= SAME_WORD for o in others) for w in words)


@lru_cache(maxsize=500_000)
def similar(a: str, b: str) -> bool:
    """The same business written two ways: the kinds do not contradict each other and the
    distinctive words agree (one name's all among the other's, or half of them shared), or
    the whole names differ by a typo."""
    if a == b:
        return True
    kinds_a, words_a = parts(a)
    kinds_b, words_b = parts(b)
    if kinds_a and kinds_b and not kinds_a & kinds_b:
        return False
    short, long_ = sorted((words_a, words_b), key=len)
    matched = _matched(short, long_)
    if matched == len(short):
        return True
    if matched and matched >= 0.5 * (len(short) + len(long_) - matched):
        return True
    return (
        fuzz.ratio(a, b) >= SAME_NAME
        or bool(words_a)
        and bool(words_b)
        and fuzz.ratio("".join(sorted(words_a)), "".join(sorted(words_b))) >= SAME_NAME
    )
