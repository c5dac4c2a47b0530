"""The noise of the independent synthetic register (umkm/ingest/synthetic_independent.py): the rate of each
noise kind at noise 1 (``RATES``: every row, then duplicate rows on top), the typos of a duplicate row, business
names reworded, and the cells as they are written (names with honorifics, NIKs mangled by Excel or by hand,
dates, phones, kelurahan, money), each drawn from the seeded ``Maker`` of synthetic_independent_world.py.
"""

from __future__ import annotations

from datetime import date

from umkm.ingest.synthetic_independent_words import KINDS
from umkm.ingest.synthetic_independent_world import Actor, Maker, Person

RATES = {
    "upper": 0.35,
    "honorific": 0.10,
    "nik_blank": 0.08,
    "nik_comma_sci": 0.015,
    "nik_sci7": 0.005,
    "nik_cut15": 0.005,
    "nik_thousands": 0.01,
    "nik_label": 0.005,
    "nik_space": 0.02,
    "birth_place": 0.03,
    "birth_blank": 0.10,
    "birth_swapped": 0.01,
    "phone_wa": 0.01,
    "phone_blank": 0.12,
    "kel_drop": 0.02,
    "kel_blank": 0.04,
    "kec_blank": 0.10,
    "kota_blank": 0.08,
    # duplicate rows
    "keyboard": 0.05,
    "vowel": 0.04,
    "double": 0.03,
    "old_spelling": 0.02,
    "join_split": 0.02,
    "cut": 0.02,
    "swap_names": 0.01,
    "reword": 0.20,
    "business_typo": 0.05,
    "nik_digit": 0.03,
    "nik_swap": 0.02,
    "nik_birth_digit": 0.02,
    "dup_nik_blank": 0.05,
    "moved": 0.06,
    "phone_changed": 0.10,
    "dup_birth_blank": 0.05,
}
# How a row is written: titles before a name, the keys next to each key, the months' names.
HONORIFICS = {True: ("Hj. ", "Ibu ", "Acil ", "Bu ", "Ny. "), False: ("H. ", "Pak ", "Bapak ", "Daeng ", "Sdr. ")}
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


def typo(m: Maker, text: str) -> str:
    """One of the typo kinds of a duplicate row (or none), drawn at their rates."""
    rnd = m.random
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if not letters:
        return text
    if m.rate("keyboard"):
        i = m.pick(letters)
        near = KEYBOARD.get(text[i].lower(), text[i].lower())
        c = m.pick(near)
        return text[:i] + (c.upper() if text[i].isupper() else c) + text[i + 1 :]
    if m.rate("vowel"):
        vowels = [i for i in letters[1:] if text[i].lower() in "aeiou"]
        if vowels:
            i = m.pick(vowels)
            return text[:i] + text[i + 1 :]
    if m.rate("double"):
        doubled = [i for i in letters[1:] if text[i] == text[i - 1]]
        if doubled:
            i = m.pick(doubled)
            return text[:i] + text[i + 1 :]
        i = m.pick(letters[1:] or letters)
        return text[:i] + text[i] + text[i:]
    if m.rate("old_spelling"):
        for new, old in (("u", "oe"), ("j", "dj"), ("c", "tj"), ("y", "j")):
            if new in text:
                return text.replace(new, old, 1)
    if m.rate("join_split"):
        words = text.split()
        if len(words) > 1:
            k = rnd.randrange(len(words) - 1)
            return " ".join(words[:k] + [words[k] + words[k + 1].lower()] + words[k + 2 :])
        if len(text) > 7:
            k = rnd.randint(3, len(text) - 3)
            return text[:k] + " " + text[k:].capitalize()
    if m.rate("cut"):
        words = text.split()
        if len(words) > 1 and len(words[-1]) > 4:
            words[-1] = words[-1][: -1 - rnd.randrange(2)]
            return " ".join(words)
    if m.rate("swap_names"):
        words = text.split()
        if len(words) == 2:
            return f"{words[1]} {words[0]}"
    return text


def reworded(m: Maker, actor: Actor, kelurahan: int) -> str:
    rnd = m.random
    word, synonyms = KINDS[actor.kind][0], KINDS[actor.kind][1]
    rest = actor.business.replace(word, "", 1).strip() if actor.business.startswith(word) else ""
    how = rnd.random()
    if rest and how < 0.35:
        return f"{m.pick(synonyms)} {rest}"
    if rest and how < 0.55:
        return rest
    if how < 0.75:
        return f"{actor.business} {m.pick(('Balikpapan', 'BPP', m.kel_name[kelurahan]))}"
    if rest and how < 0.9:  # the kind after the name: "Barokah Warung Makan"
        return f"{rest} {word}"
    return f"{m.pick(('UD', 'Usaha'))} {actor.business}"


def owner_name(m: Maker, person: Person, duplicate: bool) -> str:
    name = typo(m, person.name) if duplicate else person.name
    if person.father and m.random.random() < 0.5:
        name = f"{name} {'binti' if person.woman else 'bin'} {person.father}"
    if m.rate("honorific"):
        name = m.pick(HONORIFICS[person.woman]) + name
    return name.upper() if m.rate("upper") else name


def mistyped_nik(m: Maker, nik: str) -> str:
    digits = list(nik)
    if m.rate("nik_birth_digit"):
        i = m.random.randrange(6, 12)
    elif m.rate("nik_digit"):
        i = m.random.randrange(16)
    elif m.rate("nik_swap"):
        i = m.random.randrange(15)
        digits[i], digits[i + 1] = digits[i + 1], digits[i]
        return "".join(digits)
    else:
        return nik
    digits[i] = m.pick([d for d in "0123456789" if d != digits[i]])
    return "".join(digits)


def nik_cell(m: Maker, nik: str) -> str:
    """The NIK as an ODS cell: blank, or mangled by Excel or by hand in this generator's ways."""
    if not nik or m.rate("nik_blank"):
        return ""
    if m.rate("nik_comma_sci"):
        return f"{nik[0]},{nik[1:6]}E+15"
    if m.rate("nik_sci7"):
        return f"{nik[0]}.{nik[1:7]}E+15"
    if m.rate("nik_cut15"):
        return nik[:15]
    if m.rate("nik_thousands"):
        lost = nik[:15] + "0"
        return ".".join(lost[max(0, k - 3) : k] for k in range(len(lost) % 3 or 3, len(lost) + 1, 3))
    if m.rate("nik_label"):
        return "NIK " + nik
    if m.rate("nik_space"):
        return nik + " "
    return nik


def date_cell(m: Maker, day: date, *, birth: bool) -> str:
    style = m.random.random()
    if birth and m.rate("birth_swapped") and day.day <= 12 and day.day != day.month:
        day = date(day.year, day.day, day.month)
    if style < 0.35:
        text = f"{day.day:02d}-{day.month:02d}-{day.year}"
    elif style < 0.55:
        text = f"{day.day}/{day.month}/{day.year}"
    elif style < 0.65:
        text = f"{day.day:02d}.{day.month:02d}.{day.year}"
    elif style < 0.8:
        text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    else:
        text = day.isoformat()
    if birth and m.rate("birth_place"):
        text = f"{m.pick(('Balikpapan', 'Samarinda', 'Makassar', 'Banjarmasin', 'Tenggarong'))}, {text}"
    return text


def phone_cell(m: Maker, phone: str) -> str:
    if not phone or m.rate("phone_blank"):
        return ""
    style = m.random.random()
    if style < 0.5:
        text = phone
    elif style < 0.7:
        text = f"{phone[:4]}-{phone[4:8]}-{phone[8:]}"
    elif style < 0.85:
        text = "62" + phone[1:]
    else:
        text = f"+62 {phone[1:4]} {phone[4:8]} {phone[8:]}"
    return text + " (WA)" if m.rate("phone_wa") else text


def kelurahan_cell(m: Maker, index: int) -> str:
    name = m.kel_name[index]
    if m.rate("kel_blank"):
        return ""
    if m.rate("kel_drop") and len(name) > 5:
        i = m.random.randrange(1, len(name) - 1)
        name = name[:i] + name[i + 1 :]
    style = m.random.random()
    if style < 0.15:
        return name.upper()
    if style < 0.25:
        return f"Kel. {name}"
    if style < 0.3:
        return f"Kelurahan {name}"
    return name


def money(m: Maker, value: int) -> str:
    style = m.random.random()
    if style < 0.5:
        return str(value)
    if style < 0.8:
        return "Rp " + f"{value:,}".replace(",", ".")
    if style < 0.9 and value % 1_000_000 == 0:
        return f"{value // 1_000_000} juta"
    return f"{value:,}".replace(",", ".")
