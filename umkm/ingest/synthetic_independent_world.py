"""The clean world of the independent synthetic register (umkm/ingest/synthetic_independent.py): its word
lists (Balikpapan's mix of names, businesses, streets, places outside the city), the clean entities (Person,
Actor) and ``Maker``, the seeded random source every part of the generator draws from, in the order it draws.
synthetic_independent.py puts the noise on top and writes the rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

WOMEN = 0.55  # share of owners who are women


# --------------------------------------------------------------------------------------------
# Word lists (Balikpapan's mix: Banjar, Bugis, Javanese, Kutai, Toraja, Chinese-Indonesian)
# --------------------------------------------------------------------------------------------

WOMEN_NAMES = (
    "Masitah",
    "Norhayati",
    "Rusmini",
    "Rahmawati",
    "Fatimah",
    "Halimah",
    "Jamilah",
    "Salmah",
    "Nurjannah",
    "Kasmawati",
    "Darmawati",
    "Hartati",
    "Rabiah",
    "Aisyah",
    "Nurul",
    "Latifah",
    "Rabiatul",
    "Rejeki",
    "Yuliana",
    "Herlina",
    "Erna",
    "Wulandari",
    "Kartini",
    "Megawati",
    "Ratnasari",
    "Mariam",
    "Maria",
    "Yohana",
    "Lince",
    "Mei Ling",
    "Lily",
    "Suryani",
    "Wahidah",
    "Hamidah",
    "Zubaidah",
    "Syarifah",
    "Nurhaeda",
    "Hasnawati",
    "Sumiati",
    "Tumini",
    "Lestari",
    "Marlina",
    "Kusuma",
    "Fitriani",
    "Aini",
    "Rusdiana",
    "Hayatun",
    "Mardiana",
    "Ernawati",
    "Juwita",
    "Mahrita",
    "Normiati",
    "Jumiati",
    "Saniah",
    "Rusmila",
    "Hamsiah",
    "Husna",
    "Haliza",
    "Zaleha",
    "Masrah",
    "Rukmini",
    "Saodah",
    "Nurbaya",
    "Nurhidayah",
    "Rosdiana",
    "Rosita",
    "Yusnita",
    "Marfuah",
    "Musdalifah",
    "Asmawati",
    "Hasmiah",
    "Sukmawati",
    "Nurasiah",
    "Nuraeni",
    "Faridah",
    "Rahmatia",
    "Hernawati",
    "Indriani",
    "Puspita",
    "Anggraini",
    "Novita",
    "Melinda",
    "Agustina",
    "Setyaningsih",
    "Sulastri",
    "Sundari",
    "Paini",
    "Sarmi",
    "Warsini",
    "Tukiyem",
    "Listyowati",
    "Purwaningsih",
    "Veronika",
    "Agnes",
    "Theresia",
    "Magdalena",
    "Elisabet",
    "Debora",
    "Ruth",
    "Natalia",
    "Oktaviani",
    "Sri",
    "Siti",
    "Dewi",
    "Nur",
    "Andi",
    "Fransiska",
    "Yuni",
    "Yanti",
    "Tuti",
    "Rina",
    "Ani",
    "Eka",
    "Dwi",
    "Tri",
    "Meiliana",
    "Suwarni",
    "Hasanah",
)
MEN_NAMES = (
    "Syahrani",
    "Arbain",
    "Gusti",
    "Rahmat",
    "Jumadi",
    "Mahyuddin",
    "Syamsuddin",
    "Rusli",
    "Heru",
    "Ilham",
    "Taufik",
    "Ridwan",
    "Yusran",
    "Zainal",
    "Lukman",
    "Nanang",
    "Akhmad",
    "Abdul",
    "Karim",
    "Muhammad",
    "Rizal",
    "Baso",
    "Firman",
    "Hamid",
    "Baharuddin",
    "Hasanuddin",
    "Yohanes",
    "Markus",
    "Petrus",
    "Hendrik",
    "Ferdinand",
    "Liong",
    "Budiono",
    "Sugeng",
    "Joko",
    "Slamet",
    "Wahyu",
    "Agus",
    "Dedi",
    "Irwansyah",
    "Fadli",
    "Kurniawan",
    "Hendra",
    "Yusuf",
    "Ismail",
    "Saprudin",
    "Rahmadi",
    "Anang",
    "Jailani",
    "Masrani",
    "Fahrurrazi",
    "Mursalin",
    "Mukhlis",
    "Hairani",
    "Syarifuddin",
    "Junaidi",
    "Aspihani",
    "Rusdi",
    "Arsyad",
    "Amiruddin",
    "Nasrullah",
    "Muhlis",
    "Muhtar",
    "Sudirman",
    "Jamaluddin",
    "Kamaruddin",
    "Ambo",
    "Tahir",
    "Syamsul",
    "Arifin",
    "Bakri",
    "Daud",
    "Haris",
    "Salim",
    "Samsul",
    "Sukardi",
    "Sutrisno",
    "Suparno",
    "Sugiarto",
    "Bambang",
    "Purnomo",
    "Widodo",
    "Hartono",
    "Gunadi",
    "Yakobus",
    "Stefanus",
    "Paulus",
    "Simon",
    "Yosef",
    "Benny",
    "Robert",
    "Hengky",
    "Johan",
    "Wiliam",
    "Tjandra",
    "Hadi",
    "Eko",
    "Adi",
    "Rudi",
    "Doni",
    "Andi",
    "Fajar",
    "Reza",
    "Arif",
    "Irfan",
    "Hamzah",
    "Usman",
    "Umar",
    "Yahya",
    "Zulkifli",
    "Mansur",
    "Asrul",
    "Herman",
    "Darwis",
)
FAMILY_NAMES = (
    "Gunawan",
    "Latif",
    "Syahrani",
    "Hidayat",
    "Saputra",
    "Rahman",
    "Noor",
    "Hasan",
    "Pakpahan",
    "Tandi",
    "Pasolang",
    "Rantelino",
    "Wijaya",
    "Tanoto",
    "Kusuma",
    "Mappanganro",
    "Matulessy",
    "Sembiring",
    "Siregar",
    "Manurung",
    "Effendi",
    "Ramadhan",
    "Maulana",
    "Fitriansyah",
    "Hakim",
    "Santoso",
    "Halim",
    "Tan",
    "Gozali",
    "Mansyur",
    "Arsyad",
    "Aspar",
    "Sirajuddin",
    "Paembonan",
    "Sampe",
    "Lumban Tobing",
    "Rahmadani",
    "Hairuddin",
    "Anshari",
    "Fauzi",
    "Nugroho",
    "Prasetyo",
    "Setiawan",
    "Susanto",
    "Kurniadi",
    "Salim",
    "Djunaidi",
    "Masri",
    "Rasyid",
    "Hamzah",
    "Ibrahim",
    "Ramli",
    "Makmur",
    "Pabottingi",
    "Lamba",
    "Tangdilintin",
    "Sarungallo",
    "Palinggi",
    "Rante",
    "Batara",
    "Simanjuntak",
    "Nainggolan",
    "Hutapea",
    "Situmorang",
    "Ginting",
    "Tarigan",
    "Purba",
    "Sinaga",
    "Lubis",
    "Nasution",
    "Harahap",
    "Wibowo",
    "Kartika",
    "Lesmana",
    "Halimi",
    "Sutanto",
    "Hartanto",
    "Widjaja",
    "Liem",
    "Lim",
    "Ong",
    "Chandra",
    "Suharto",
    "Mulyadi",
    "Rusdiansyah",
    "Aidil",
    "Bachtiar",
    "Thamrin",
    "Yunus",
    "Idrus",
    "Alwi",
)
FATHERS = (
    "Abdullah",
    "Hasan",
    "Ahmad",
    "Muhammad Saleh",
    "Jafar",
    "Idris",
    "Ismail",
    "Usman",
    "Arsyad",
    "Ramli",
    "Abdul Gani",
    "Sahrani",
    "Bahrun",
    "Mukhtar",
    "Baseri",
    "Jalaluddin",
    "Mahmud",
    "Ambo Tang",
    "Kaco",
)
MUSLIM_GROUPS = {"Banjar", "Bugis", "Kutai", "Jawa"}
# (group, share, women's names, men's names, family names): slices of the lists above.
GROUPS = (
    ("Banjar", 0.30, WOMEN_NAMES[:60] + WOMEN_NAMES[108:117], MEN_NAMES[:65], FAMILY_NAMES[:10] + FAMILY_NAMES[36:56]),
    (
        "Bugis",
        0.20,
        WOMEN_NAMES[20:80] + WOMEN_NAMES[108:],
        MEN_NAMES[15:75],
        FAMILY_NAMES[23:33] + FAMILY_NAMES[48:58],
    ),
    (
        "Jawa",
        0.25,
        WOMEN_NAMES[14:20] + WOMEN_NAMES[78:95] + WOMEN_NAMES[108:],
        MEN_NAMES[34:47] + MEN_NAMES[75:90],
        FAMILY_NAMES[36:47] + FAMILY_NAMES[72:78] + FAMILY_NAMES[84:88],
    ),
    ("Kutai", 0.05, WOMEN_NAMES[:40], MEN_NAMES[:40], ("Aspar", "Noor", "Hakim", "Aidil", "Rusdiansyah", "Masri")),
    (
        "Toraja_Batak",
        0.12,
        WOMEN_NAMES[95:108] + WOMEN_NAMES[80:86],
        MEN_NAMES[84:96] + MEN_NAMES[26:32],
        FAMILY_NAMES[8:18] + FAMILY_NAMES[56:72],
    ),
    (
        "Tionghoa",
        0.08,
        WOMEN_NAMES[29:31] + WOMEN_NAMES[80:86] + ("Meiliana", "Lily", "Mei Ling", "Natalia"),
        MEN_NAMES[31:33] + MEN_NAMES[88:97],
        FAMILY_NAMES[16:18] + FAMILY_NAMES[26:29] + FAMILY_NAMES[72:84],
    ),
)
HONORIFICS = {True: ("Hj. ", "Ibu ", "Acil ", "Bu ", "Ny. "), False: ("H. ", "Pak ", "Bapak ", "Daeng ", "Sdr. ")}

# (kind of business, synonyms it is also written as, KBLI codes, share)
KINDS = (
    ("Warung Makan", ("Rumah Makan", "RM", "Depot", "Warung"), ("56102", "56103"), 0.16),
    ("Kedai Kopi", ("Warkop", "Kedai", "Kopi"), ("56303",), 0.06),
    ("Catering", ("Katering", "Jasa Boga", "Dapur"), ("56210", "56290"), 0.05),
    ("Kue", ("Kue Basah", "Aneka Kue", "Roti dan Kue"), ("10792", "10710"), 0.07),
    ("Keripik", ("Kerupuk", "Amplang", "Keripik dan Amplang"), ("10794",), 0.04),
    ("Toko Kelontong", ("Toko", "Kios", "Tk.", "Toko Sembako"), ("47111", "47112"), 0.14),
    ("Konter Pulsa", ("Kios Pulsa", "Cell", "Ponsel"), ("47414", "95120"), 0.05),
    ("Toko Pakaian", ("Butik", "Fashion", "Busana"), ("47711", "47912"), 0.06),
    ("Laundry", ("Laundri", "Binatu", "Laundry Kiloan"), ("96200",), 0.05),
    ("Salon", ("Salon Kecantikan", "Rias Pengantin", "Beauty"), ("96112", "96111"), 0.05),
    ("Bengkel", ("Bengkel Motor", "Servis Motor", "Tambal Ban"), ("45407",), 0.06),
    ("Penjahit", ("Jahit", "Konveksi", "Tailor"), ("14120", "14111"), 0.05),
    ("Fotokopi", ("Fotocopy", "Percetakan", "Digital Printing"), ("82190", "18111"), 0.03),
    ("Rental Mobil", ("Rental", "Sewa Mobil", "Rent Car"), ("77100", "49422"), 0.02),
    ("Kerajinan", ("Anyaman", "Rotan", "Kriya"), ("16291", "13921"), 0.02),
    ("Budidaya Ikan", ("Kolam Ikan", "Tambak", "Ikan"), ("03221", "03222"), 0.02),
    ("Bimbel", ("Les Privat", "Bimbingan Belajar", "Kursus"), ("85499", "85500"), 0.01),
)
BRANDS = (
    "Barokah",
    "Berkah",
    "Sumber Rezeki",
    "Borneo",
    "Etam",
    "Beruang Madu",
    "Mandiri",
    "Sejahtera",
    "Al Ikhlas",
    "Cahaya",
    "Mekar Sari",
    "Harapan",
    "Amanah",
    "Sinar",
    "Pelangi",
    "Idaman",
    "Rezeki Nomplok",
    "Mutiara",
    "Teluk",
    "Manuntung",
    "Bersaudara",
    "Tiga Putri",
    "Dua Dara",
    "Sahabat",
    "Lestari",
    "Kilat",
    "Anugerah",
    "Rahmat",
    "Karunia",
    "Nusantara",
    "Bintang",
    "Permata",
    "Melati",
    "Kenanga",
    "Anggrek",
    "Dahlia",
    "Pesisir",
    "Samudra",
    "Khatulistiwa",
    "Mahakam",
    "Enggang",
    "Pesut",
    "Madani",
    "Az Zahra",
    "Al Hidayah",
    "Nur Ilahi",
    "Sakinah",
    "Keluarga",
    "Bunda",
    "Ananda",
    "Putra",
    "Putri",
    "Kembar",
    "Ceria",
    "Segar",
    "Wangi",
    "Murah",
    "Laris",
    "Hoki",
    "Jaya Makmur",
    "Sentosa",
    "Abadi",
    "Mulia",
    "Indah",
    "Baru",
    "Lancar",
    "Sederhana",
    "Istimewa",
    "Kita",
    "Kampung",
    "Tepian",
    "Gemilang",
    "Sumringah",
)
BRAND_TAILS = (
    "Jaya",
    "Abadi",
    "Makmur",
    "Sentosa",
    "Indah",
    "Mandiri",
    "Utama",
    "Sejati",
    "Lestari",
    "Perkasa",
    "88",
    "99",
    "2",
    "Group",
    "Express",
    "Bersama",
    "Berkah",
    "Raya",
)
CALLS = {True: ("Bu", "Acil", "Mama", "Umi"), False: ("Pak", "Bang", "Daeng", "Om")}
STREETS = (
    "Jl. Jend. Sudirman",
    "Jl. MT Haryono",
    "Jl. Soekarno Hatta",
    "Jl. Ruhui Rahayu",
    "Jl. Mulawarman",
    "Jl. Marsma Iswahyudi",
    "Jl. Pupuk Raya",
    "Jl. Letjen Suprapto",
    "Jl. Manunggal",
    "Gg. Sepakat",
    "Gg. Keluarga",
    "Jl. Prapatan Dalam",
    "Jl. Sepinggan Baru",
    "Perum Graha Indah Blok",
    "Jl. Gunung Empat",
)
OUTSIDE = (  # kabupaten/kota as written, its NIK and kd_daerah prefix, a few of its kelurahan/desa
    (("Kab. Penajam Paser Utara", "PPU", "Penajam"), "6409", ("Nipah Nipah", "Petung", "Pejala", "Sotek")),
    (("Kota Samarinda", "Samarinda", "SMD"), "6472", ("Sempaja", "Sidodadi", "Air Putih", "Loa Bakung")),
    (("Kab. Kutai Kartanegara", "Kukar", "Samboja"), "6402", ("Samboja Kuala", "Handil Baru", "Muara Jawa Ulu")),
    (("Kab. Paser", "Tanah Grogot"), "6401", ("Tanah Grogot", "Senaken")),
)
MIGRANT_PREFIXES = (
    "647201",
    "647205",
    "640901",
    "640201",
    "737101",
    "737104",
    "357801",
    "637101",
    "637103",
    "327301",
    "127101",
    "747101",
    "732201",
    "640101",
)
KEYBOARD = {
    c: n
    for c, n in zip(
        "qwertyuiopasdfghjklzxcvbnm",
        (
            "wa",
            "qes",
            "wrd",
            "etf",
            "ryg",
            "tuh",
            "yij",
            "uok",
            "ipl",
            "o",
            "qsz",
            "awdx",
            "sefc",
            "drgv",
            "fthb",
            "gyjn",
            "hukm",
            "jil",
            "kop",
            "asx",
            "zdc",
            "xfv",
            "cgb",
            "vhn",
            "bjm",
            "nk",
        ),
    )
}
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


# --------------------------------------------------------------------------------------------
# Clean entities
# --------------------------------------------------------------------------------------------


@dataclass
class Person:
    name: str
    woman: bool
    birth: date
    nik: str
    phone: str
    father: str  # "" for people who never write "bin"/"binti"
    group: str


@dataclass
class Actor:
    actor_id: str
    owner: Person
    kind: int  # index into KINDS
    business: str
    kbli: str
    kelurahan: int  # index into the reference kelurahan
    address: str
    omzet: int
    modal: int
    workers: int
    badan: str  # "Perorangan", "CV", "PT"
    nib: str
    nib_date: date | None
    moved_to: int | None = None  # kelurahan after a move (later rows and OSS)
    moved_address: str = ""


class Maker:
    """The seeded random source and the reference lists every part draws from; ``rates``: per noise kind, its
    rate at noise 1 (synthetic_independent.RATES)."""

    def __init__(self, reference, seed: int, noise: float, snapshot: date, rates: dict[str, float]):
        self.random = random.Random(seed)
        self.noise = noise
        self.rates = rates
        self.snapshot = snapshot
        kel = reference.kelurahan.reset_index(drop=True)
        self.kel_name = list(kel["nama"])
        self.kel_kec = list(kel["nama_kecamatan"])
        self.kel_code = list(kel["kode_kemendagri_nodot"])
        self.kec_number = [code[4:6] for code in self.kel_code]
        weights = [self.random.gammavariate(2.0, 1.0) for _ in self.kel_name]  # not the population weights
        self.kel_weight = [w / sum(weights) for w in weights]
        known = set(reference.kbli_kelompok["kode"])
        for kind in KINDS:
            assert set(kind[2]) <= known, kind
        self.prefixes = [p for p in reference.mobile_prefixes["prefix"] if p.startswith("08")]
        self.serials: set[str] = set()
        self.nibs: set[str] = set()

    def rate(self, name: str) -> bool:
        return self.random.random() < min(0.9, self.rates[name] * self.noise)

    def pick(self, items):
        return items[self.random.randrange(len(items))]

    def weighted(self, items, weights):
        return self.random.choices(items, weights=weights)[0]

    def day_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.random.randrange(max(1, (end - start).days + 1)))

    def kelurahan(self) -> int:
        return self.random.choices(range(len(self.kel_name)), weights=self.kel_weight)[0]

    def phone(self) -> str:
        return self.pick(self.prefixes) + "".join(self.pick("0123456789") for _ in range(self.random.randint(7, 8)))

    def nik(self, region: str, birth: date, woman: bool) -> str:
        day = birth.day + (40 if woman else 0)
        while True:
            nik = f"{region}{day:02d}{birth.month:02d}{birth.year % 100:02d}{self.random.randint(1, 3999):04d}"
            if nik not in self.serials:
                self.serials.add(nik)
                return nik

    def nib(self) -> str:
        while True:
            nib = self.pick(("91", "12", "02", "81", "13")) + "".join(self.pick("0123456789") for _ in range(11))
            if nib not in self.nibs:
                self.nibs.add(nib)
                return nib

    def person(self, kelurahan: int) -> Person:
        rnd = self.random
        group = self.weighted(GROUPS, [g[1] for g in GROUPS])
        woman = rnd.random() < WOMEN
        given = group[2] if woman else group[3]
        name = self.pick(given)
        if rnd.random() < 0.45:  # a second given name ("Siti Rabiatul", "Muhammad Rizal")
            name = f"{name} {self.pick([g for g in given if g != name])}"
        if rnd.random() < 0.7:
            name = f"{name} {self.pick(group[4])}"
        birth = self.day_between(date(1955, 1, 1), date(2004, 12, 31))
        region = f"6471{self.kec_number[kelurahan]}" if rnd.random() < 0.8 else self.pick(MIGRANT_PREFIXES)
        father = self.pick(FATHERS) if group[0] in MUSLIM_GROUPS and rnd.random() < 0.25 else ""
        return Person(name, woman, birth, self.nik(region, birth, woman), self.phone(), father, group[0])

    def business(self, owner: Person, kind: int, kelurahan: int) -> str:
        word = KINDS[kind][0]
        call = self.pick(CALLS[owner.woman])
        brand = self.pick(BRANDS) + (f" {self.pick(BRAND_TAILS)}" if self.random.random() < 0.6 else "")
        style = self.random.random()
        if style < 0.25:
            return f"{word} {call} {owner.name.split()[0]}"
        if style < 0.7:
            return f"{word} {brand}"
        if style < 0.9:
            return f"{brand} {word}"
        return f"{word} {self.kel_name[kelurahan]}"

    def address(self) -> str:
        return f"{self.pick(STREETS)} No. {self.random.randint(1, 120)}"

    def actor(self, number: int, owner: Person | None = None, size: str = "") -> Actor:
        rnd = self.random
        kelurahan = self.kelurahan()
        owner = owner or self.person(kelurahan)
        kind = self.random.choices(range(len(KINDS)), weights=[k[3] for k in KINDS])[0]
        size = size or self.weighted(("mikro", "kecil", "menengah"), (0.92, 0.065, 0.015))
        low, high = {"mikro": (6e6, 1.9e9), "kecil": (2.1e9, 14e9), "menengah": (16e9, 48e9), "besar": (60e9, 900e9)}[
            size
        ]
        omzet = int(round(low * (high / low) ** (rnd.random() ** 1.8), -5))
        # Capital within the class's bound too (PP 7/2021 Pasal 35: Rp1, 5, 10 billion).
        ceiling = {"mikro": 1e9, "kecil": 5e9, "menengah": 10e9, "besar": 90e9}[size]
        modal = int(round(min(omzet * rnd.uniform(0.05, 0.4), ceiling * rnd.uniform(0.5, 1.0)), -5))
        if size == "besar" and rnd.random() < 0.3:
            modal = int(rnd.uniform(11e9, 90e9))
        badan = "Perorangan" if size == "mikro" and rnd.random() < 0.97 else self.pick(("CV", "PT", "Perorangan"))
        return Actor(
            f"B{number:07d}",
            owner,
            kind,
            self.business(owner, kind, kelurahan),
            self.pick(KINDS[kind][2]),
            kelurahan,
            self.address(),
            omzet,
            modal,
            max(1, int(rnd.expovariate(0.5))),
            badan,
            "",
            None,
        )
