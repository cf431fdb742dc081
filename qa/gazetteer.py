"""Vietnam's provinces and centrally-run cities, before and after the 1 July 2025 mergers.

The data (`qa/data/gazetteer.json`) lists the 63 units that existed before 1 July 2025 and
the 34 that exist from that day (Resolution 202/2025/QH15: 28 provinces and 6 centrally-run
cities), with names in Vietnamese, English, Russian, Ukrainian, French and Chinese, common
alternative spellings, and the merger table (new unit -> the former units it was formed
from). Thừa Thiên Huế became the city of Huế on 1 January 2025 with the same territory;
both keys are kept, and each always covers the other.

Every unit is identified by its key, `crawler.models.place_key` of its Vietnamese name
("Lâm Đồng" -> "lam-dong"; Thành phố Hồ Chí Minh is "ho-chi-minh").

Matching works on a folded form of the text: lower case, Vietnamese and other diacritics
removed, đ -> d, and Cyrillic letters that Russian and Ukrainian spell differently made
equal (і/ы -> и, є/э -> е, soft and hard signs and apostrophes dropped). A name matches a
run of one or more words whose folded forms, joined without spaces, equal the folded name,
so "Lam Dong", "Lamdong", "Лам Донг" and "Ламдонг" all match. Besides the curated names,
each unit gets systematic Russian and Ukrainian transliterations of its Vietnamese name
(the Kontsevich system), and Cyrillic names get their common case endings ("в Ханое",
"в Хошимине").

`find_places_by_sound` is the fallback for spellings no list holds ("Ха Джанг", "Хунгйеном"):
it compares sound skeletons (`sound_skeleton`) of capitalised words with those of every
known name.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

from facts.folding import fold_place_name as fold
from facts.provinces import MERGER_DATE
from qa.lexicon import within_one_edit

logger = logging.getLogger(__name__)

LANGUAGES = ("vi", "en", "ru", "uk", "fr", "zh")
# Names shorter than this (folded, without spaces) are matched exactly only.
FUZZY_MIN_LENGTH = 7

_CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ffff"
_WORD = re.compile(rf"[^\W_{_CJK_RANGES}]+(?:['’ʼ][^\W_{_CJK_RANGES}]+)*")
_CJK_RUN = re.compile(rf"[{_CJK_RANGES}]+")
_BREAK = re.compile(r"[.,;:!?()\[\]\"«»“”/\n]|\s{2,}")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_VIETNAMESE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}
_PREFIXES = (
    "tinh",
    "thanh pho",
    "tp",
    "province of",
    "province",
    "city of",
    "city",
    "провинция",
    "провинции",
    "провінція",
    "провінції",
    "город",
    "місто",
    "province de",
    "ville de",
)


def _compact(text: str) -> str:
    return "".join(fold(word) for word in _WORD.findall(text))


# Tone marks only: the circumflex, breve and horn make letters of their own (â, ă, ơ).
_TONE_MARKS = {ord(m): None for m in _VIETNAMESE_MARKS if m not in {"\u0302", "\u0306", "\u031b"}}


def _strip_tones(text: str) -> str:
    return unicodedata.normalize("NFD", text).translate(_TONE_MARKS)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize(
        "NFD", text.replace("Đ", "D").replace("đ", "d").replace("Ð", "D").replace("ð", "d")
    )
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


# --- systematic Cyrillic transliteration of Vietnamese names (Kontsevich) -----------------

_INITIALS_RU = (
    ("ngh", "нг"),
    ("ng", "нг"),
    ("nh", "нь"),
    ("ch", "ч"),
    ("tr", "ч"),
    ("th", "тх"),
    ("kh", "кх"),
    ("ph", "ф"),
    ("gh", "г"),
    ("gi", "з"),
    ("qu", "ку"),
    ("đ", "д"),
    ("b", "б"),
    ("c", "к"),
    ("d", "з"),
    ("g", "г"),
    ("h", "х"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("p", "п"),
    ("r", "з"),
    ("s", "ш"),
    ("t", "т"),
    ("v", "в"),
    ("x", "с"),
)
_FINALS_RU = (
    ("ng", "нг"),
    ("nh", "нь"),
    ("ch", "ть"),
    ("c", "к"),
    ("m", "м"),
    ("n", "н"),
    ("p", "п"),
    ("t", "т"),
)
_NUCLEI_RU = (
    ("ươi", "ыой"),
    ("uôi", "уой"),
    ("iêu", "ьеу"),
    ("yêu", "ьеу"),
    ("uyê", "уе"),
    ("oai", "оай"),
    ("uây", "уэй"),
    ("ươ", "ыо"),
    ("ưa", "ыа"),
    ("uô", "уо"),
    ("iê", "ье"),
    ("yê", "ье"),
    ("ia", "иа"),
    ("ua", "уа"),
    ("uâ", "уа"),
    ("oa", "оа"),
    ("oă", "оа"),
    ("oe", "оэ"),
    ("uê", "уэ"),
    ("uy", "уй"),
    ("ây", "эй"),
    ("ai", "ай"),
    ("ay", "ай"),
    ("ao", "ао"),
    ("au", "ау"),
    ("âu", "ау"),
    ("eo", "эо"),
    ("êu", "еу"),
    ("iu", "иу"),
    ("oi", "ой"),
    ("ôi", "ой"),
    ("ơi", "ой"),
    ("ui", "уй"),
    ("ưi", "ый"),
    ("ưu", "ыу"),
    ("a", "а"),
    ("ă", "а"),
    ("â", "а"),
    ("e", "е"),
    ("ê", "е"),
    ("i", "и"),
    ("y", "и"),
    ("o", "о"),
    ("ô", "о"),
    ("ơ", "о"),
    ("u", "у"),
    ("ư", "ы"),
)
_SOFTENED = {"а": "я", "у": "ю", "о": "ё"}


def _syllable_to_russian(syllable: str) -> str:
    rest = unicodedata.normalize("NFC", _strip_tones(syllable.lower()))
    initial = ""
    for latin, cyrillic in _INITIALS_RU:
        if rest.startswith(latin) and (latin != "gi" or len(rest) > 2):
            initial, rest = cyrillic, rest[len(latin) :]
            break
    final = ""
    for latin, cyrillic in _FINALS_RU:
        if rest.endswith(latin) and len(rest) > len(latin):
            final, rest = cyrillic, rest[: -len(latin)]
            break
    nucleus = ""
    while rest:
        for latin, cyrillic in _NUCLEI_RU:
            if rest.startswith(latin):
                nucleus += cyrillic
                rest = rest[len(latin) :]
                break
        else:
            rest = rest[1:]
    if nucleus.endswith("й") and final:
        nucleus = nucleus[:-1] + "и"
    if not initial:
        # A syllable that starts with a vowel: "Yên" -> "Йен", "Ê" -> "Э".
        if nucleus.startswith("ье"):
            nucleus = "йе" + nucleus[2:]
        elif nucleus.startswith("е"):
            nucleus = "э" + nucleus[1:]
    elif initial == "з" and syllable.lower().startswith("gi") and nucleus[:1] in _SOFTENED:
        nucleus = _SOFTENED[nucleus[0]] + nucleus[1:]
    elif initial.endswith("ь") and nucleus[:1] in _SOFTENED:
        initial, nucleus = initial[:-1], _SOFTENED[nucleus[0]] + nucleus[1:]
    elif initial.endswith("ь") and nucleus[:1] in "еи":
        initial = initial[:-1]
    if initial and nucleus.startswith("ье") and initial[-1] in "уо":
        nucleus = "йе" + nucleus[2:]
    return initial + nucleus + final


def _russian_to_ukrainian(text: str) -> str:
    out = []
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else ""
        if ch == "и":
            out.append("і")
        elif ch == "ы":
            out.append("и")
        elif ch == "э":
            out.append("е")
        elif ch == "е" and prev in ("ь", "й"):
            out[-1] = "'" if prev == "ь" else ""
            out.append("є")
        elif ch == "е" and prev and prev in "аоуиыеэ":
            out.append("є")
        elif ch == "ё":
            out.append("ьо")
        else:
            out.append(ch)
    return "".join(out)


def transliterate(vietnamese: str, lang: str = "ru") -> tuple[str, str]:
    """Systematic Cyrillic forms of a Vietnamese name: (joined, spaced), e.g. ("Ламдонг", "Лам Донг")."""
    syllables = [s for s in re.split(r"[\s\-–]+", vietnamese) if s]
    parts = [_syllable_to_russian(s) for s in syllables]
    if lang == "uk":
        parts = [_russian_to_ukrainian(p) for p in parts]
    parts = [p[:1].upper() + p[1:] for p in parts if p]
    joined = parts[0] + "".join(p.lower() for p in parts[1:]) if parts else ""
    return joined, " ".join(parts)


def _cyrillic_inflections(folded: str) -> list[str]:
    """Russian/Ukrainian case forms of an indeclinable-looking name, in folded spelling."""
    if not folded or not _CYRILLIC.search(folded):
        return []
    if folded.endswith("ои"):  # Ханой -> Ханоя, Ханое, Ханоем, Ханою, Ханої
        stem = folded[:-1]
        return [stem + ending for ending in ("я", "е", "ем", "ю", "и")]
    if folded[-1] in "аеиоуюя":
        return []
    return [folded + ending for ending in ("а", "у", "е", "ом", "ем", "и", "ови")]


# --- place names by sound ----------------------------------------------------------------

# Vietnamese names reach Russian and Ukrainian by ear, so one place is written many ways
# ("Хазянг", "Ха Жанг", "Ха Джанг"; "Хынгйен", "Хунгйен"; "Lâm Ðồng" with an Icelandic
# eth). A sound skeleton folds those spellings together: Latin letters, the sounds that
# transliterations confuse merged, no spaces or hyphens.
_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "e",
    "ж": "z", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "u", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip
_SKELETON_RULES = (
    (re.compile(r"dz|dj|zh|gi(?=[aeiou])"), "z"),  # Gi- (said z), Ж, Дж
    (re.compile(r"kh|ch(?=[aeiou])"), "h"),
    (re.compile(r"[cq]"), "k"),
    (re.compile(r"[yw]"), "i"),
    (re.compile(r"i(?=[aeou])"), ""),  # glides: "зя" ~ "za", "йен" ~ "en"
    (re.compile(r"(.)\1"), r"\1"),
)
# Shortest skeleton compared, and words tried together.
MIN_SKELETON = 6
MAX_SOUND_NAME_WORDS = 3
# A word of a name; those whose first letter is a capital are kept by `str.isupper`, as a
# range of capitals would hold lower-case letters too ("À-Ỹ" spans every Cyrillic letter).
_NAME_WORD = re.compile(r"(?<![\w'’])[^\W\d_][\w'’]*")
_NAME_GAP = re.compile(r"[ \-‐–]")
_CASE_ENDINGS = ("ом", "ой", "ем", "ею", "ою", "у", "а", "е", "і", "ї", "ю", "я", "ы", "и")


def sound_skeleton(name: str) -> str:
    """A spelling-insensitive key for a Vietnamese place name in any script."""
    text = unicodedata.normalize("NFC", name.casefold().replace("đ", "d").replace("ð", "d"))
    # Cyrillic first: "й" and "ї" are letters of their own, not "и" and "і" with a mark.
    text = "".join(_CYRILLIC_TO_LATIN.get(ch, ch) for ch in text)
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^a-z]", "", text)
    for pattern, replacement in _SKELETON_RULES:
        text = pattern.sub(replacement, text)
    return text


# --- the gazetteer -------------------------------------------------------------------------


# The words that make a province's name its city's ("thành phố Hà Giang", "Ha Giang city").
_CITY_WORDS = r"thành\s+phố|thanh\s+pho|(?<!\w)tp\.|(?<!\w)город\w*|(?<!\w)міст[оаіу](?!\w)"
_CITY_BEFORE_WORDS = rf"{_CITY_WORDS}|(?<!\w)tp|\bcity\s+of|\bville\s+de"
_CITY_BEFORE = re.compile(rf"(?:{_CITY_BEFORE_WORDS})\s*$", re.IGNORECASE)
_CITY_AFTER = re.compile(r"\s+city\b", re.IGNORECASE)
_ANY_CITY = re.compile(rf"{_CITY_WORDS}|\bcity\b|\bville\b", re.IGNORECASE)


# A city, town or district inside a province, named with the word for its kind: before
# the name ("thành phố Vị Thanh", "huyện Ngọc Hiển", "город Витхань", "ville de Vi Thanh")
# or after it ("Vi Thanh city", "Ngoc Hien district"). The name is its capitalised words.
_PART_BEFORE = re.compile(
    rf"(?:{_CITY_BEFORE_WORDS}|thị\s+xã|huyện|(?<!\w)уезд\w*|(?<!\w)район\w*|(?<!\w)повіт\w*"
    r"|\bdistrict\s+de)\s+$",
    re.IGNORECASE,
)
_KIND_AFTER = ("city", "town", "district")
_PART_AFTER = re.compile(rf"^\s+(?:{'|'.join(_KIND_AFTER)})\b")
# Capitalised words that open an English phrase, not a name ("The city of …").
_NOT_A_NAME = frozenset({"the", "this", "that", "each", "every", "its", "a", "an", "in"})


def _name_runs(text: str) -> list[list[re.Match[str]]]:
    """Runs of capitalised words, split where anything but a space or a dash parts them."""
    runs: list[list[re.Match[str]]] = []
    for word in _NAME_WORD.finditer(text):
        if not word.group(0)[0].isupper():
            continue
        last = runs[-1][-1] if runs else None
        if last is not None and _NAME_GAP.fullmatch(text[last.end() : word.start()]):
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def part_names(text: str) -> list[str]:
    """The names of the cities, towns and districts the text names with the word for
    their kind ("город Витхань", "Ngoc Hien district"), as written: at most
    `MAX_SOUND_NAME_WORDS` capitalised words after the word or before it."""
    names = []
    for run in _name_runs(text):
        # The word for the kind may open the run itself ("TP Cà Mau", "Thành phố Vị Thanh").
        after_kind = next(
            (
                k
                for k, w in enumerate(run)
                if _PART_BEFORE.search(text, max(0, w.start() - 16), w.start())
            ),
            None,
        )
        if after_kind is not None:
            name = run[after_kind : after_kind + MAX_SOUND_NAME_WORDS]
        elif kind := next(
            (k for k, w in enumerate(run) if k and w.group(0).lower() in _KIND_AFTER), None
        ):
            # "Vi Thanh City": the word for the kind capitalised with the name.
            name = [w for w in run[:kind] if w.group(0).lower() not in _NOT_A_NAME]
            name = name[-MAX_SOUND_NAME_WORDS:]
        elif _PART_AFTER.match(text[run[-1].end() :]):
            name = [w for w in run if w.group(0).lower() not in _NOT_A_NAME]
            name = name[-MAX_SOUND_NAME_WORDS:]
        else:
            continue
        if name:
            names.append(text[name[0].start() : name[-1].end()])
    return names


def part_skeleton(name: str) -> str:
    """A part's name as compared across scripts: its sound skeleton, a final "nh" said as
    the Cyrillic "нь" ("Vi Thanh", "Витхань")."""
    return re.sub(r"nh(?![aeiou])", "n", sound_skeleton(name))


def names_a_part(text: str, skeletons: frozenset[str]) -> bool:
    """Whether the text names, by capitalised words in any script, a part whose skeleton
    (`part_skeleton`) is one of `skeletons`, with or without the word for its kind."""
    if not skeletons:
        return False
    for run in _name_runs(text):
        for i in range(len(run)):
            for j in range(i, min(len(run), i + MAX_SOUND_NAME_WORDS)):
                if part_skeleton(text[run[i].start() : run[j].end()]) in skeletons:
                    return True
    return False


def names_a_city(text: str) -> bool:
    """Whether the text names a city, any city ("Pho Yen city", "thành phố Sông Công")."""
    return bool(_ANY_CITY.search(text))


@dataclass(frozen=True)
class Unit:
    key: str
    vi: str
    kind: str  # "province" or "city"
    before_merger: bool  # existed before 1 July 2025
    after_merger: bool  # exists from 1 July 2025
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    # Keys of the same territory under another name (Huế <-> Thừa Thiên Huế).
    same_territory: tuple[str, ...] = ()


class Gazetteer:
    """Place names -> province keys, and which units a question about a place reaches."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.merger_date = date.fromisoformat(data.get("merger_date", MERGER_DATE.isoformat()))
        self._units: dict[str, Unit] = {}
        self._mergers: dict[str, tuple[str, ...]] = {
            new: tuple(old) for new, old in data["mergers"].items()
        }
        self._successor: dict[str, str] = {}
        for new, olds in self._mergers.items():
            for old in olds:
                if old != new:
                    self._successor[old] = new
        for raw in data["units"]:
            same = tuple(raw.get("formerly", ())) + (
                (raw["renamed_to"],) if raw.get("renamed_to") else ()
            )
            names = {lang: tuple(raw.get(lang, ())) for lang in LANGUAGES if lang != "vi"}
            names["vi"] = (raw["vi"],)
            unit = Unit(
                key=raw["key"],
                vi=raw["vi"],
                kind=raw.get("kind", "province"),
                before_merger=bool(raw.get("before_2025_07_01", True)),
                after_merger=bool(raw.get("from_2025_07_01", True)),
                names=names,
                aliases=tuple(raw.get("aliases", ())),
                same_territory=same,
            )
            self._units[unit.key] = unit
        self._not_places = {_compact(text) for text in data.get("not_places", ())}
        self._generated: dict[str, dict[str, tuple[str, ...]]] = {
            key: self._generated_names(unit) for key, unit in self._units.items()
        }
        self._index: dict[str, str] = {}
        # Case forms ("ханое", "ламдонгу"): matched only when the ending is part of a word.
        self._inflected: dict[str, str] = {}
        # Initials of the words of each name ("lamdong" -> {"ld", "l"}), for typo matching.
        self._initials: dict[str, set[str]] = {}
        self._cjk: list[tuple[str, str]] = []
        self._build_index()
        self._by_length: dict[int, list[str]] = {}
        for name in self._index:
            self._by_length.setdefault(len(name), []).append(name)
        self._max_words = max(len(_WORD.findall(name)) for name in self._all_surface_names())
        # Every start of every name, case form and not-a-place phrase (folded, joined):
        # a run of words whose joined form is not among them cannot grow into a name, so
        # matching at a word stops after a word or two instead of trying every length.
        self._name_starts: set[str] = {
            name[:end]
            for names in (self._index, self._inflected, self._not_places)
            for name in names
            for end in range(len(name) + 1)
        }
        self._fuzzy_found: dict[tuple[str, str | None], str | None] = {}
        # The same passages and sentences come back question after question: the keys each
        # one names are kept with this gazetteer (bounded), not in a module-level cache.
        self._keys_named = lru_cache(maxsize=8192)(self._find_keys_named)
        # Read once per text: the question's are asked of every candidate sentence.
        self.cities_named = lru_cache(maxsize=8192)(self._cities_named)
        self.parts_named = lru_cache(maxsize=8192)(self._parts_named)

    # -- loading ------------------------------------------------------------------------

    @classmethod
    def packaged(cls) -> Gazetteer:
        """The gazetteer shipped with the package (`qa/data/gazetteer.json`), built anew on
        every call: whoever needs one for many questions (the app's or a command's
        container) builds it once and passes it down."""
        raw = resources.files("qa").joinpath("data/gazetteer.json").read_text(encoding="utf-8")
        gazetteer = cls(json.loads(raw))
        logger.debug(
            "gazetteer loaded: %d units, %d names", len(gazetteer._units), len(gazetteer._index)
        )
        return gazetteer

    @staticmethod
    def _generated_names(unit: Unit) -> dict[str, tuple[str, ...]]:
        generated: dict[str, tuple[str, ...]] = {}
        for lang in ("ru", "uk"):
            generated[lang] = tuple(dict.fromkeys(transliterate(unit.vi, lang)))
        ascii_name = _ascii(unit.vi)
        joined = ascii_name.replace(" ", "").replace("-", "")
        generated["ascii"] = (ascii_name, joined[:1].upper() + joined[1:].lower())
        return generated

    def _all_surface_names(self) -> Iterable[str]:
        for key, unit in self._units.items():
            for values in unit.names.values():
                yield from values
            yield from unit.aliases
            for values in self._generated[key].values():
                yield from values

    def _add(self, folded: str, key: str, *, curated: bool) -> None:
        if not folded:
            return
        existing = self._index.get(folded)
        if existing is None:
            self._index[folded] = key
        elif existing != key and curated:
            logger.debug(
                "name %r is ambiguous (%s, %s); keeping %s", folded, existing, key, existing
            )

    def _build_index(self) -> None:
        # Curated names first, so a generated form never takes a curated one's place.
        for key, unit in self._units.items():
            self._add(key.replace("-", ""), key, curated=True)
            for values in unit.names.values():
                for name in values:
                    self._add_name(name, key, curated=True)
            for name in unit.aliases:
                self._add_name(name, key, curated=True)
        for key in self._units:
            for values in self._generated[key].values():
                for name in values:
                    self._add_name(name, key, curated=False)
        self._cjk.sort(key=lambda item: -len(item[0]))

    def _add_name(self, name: str, key: str, *, curated: bool) -> None:
        if _CJK_RUN.fullmatch(name.replace("-", "")):
            self._cjk.append((name, key))
            stripped = name.rstrip("省市")
            if len(stripped) >= 2 and stripped != name:
                self._cjk.append((stripped, key))
            return
        folded = _compact(name)
        self._add(folded, key, curated=curated)
        self._initials.setdefault(folded, set()).add(
            "".join(fold(word)[:1] for word in _WORD.findall(name))
        )
        for inflected in _cyrillic_inflections(folded):
            self._inflected.setdefault(inflected, key)

    # -- lookups ------------------------------------------------------------------------

    def units(self, *, current_only: bool = False) -> list[tuple[str, dict[str, str]]]:
        """(key, display names by language) for every unit, sorted by Vietnamese name.

        `current_only` keeps the 34 units that exist from 1 July 2025.
        """
        chosen = [unit for unit in self._units.values() if unit.after_merger or not current_only]
        chosen.sort(key=lambda unit: _ascii(unit.vi).lower())
        return [
            (unit.key, {lang: self.display_name(unit.key, lang) for lang in LANGUAGES})
            for unit in chosen
        ]

    def unit(self, key: str) -> Unit | None:
        return self._units.get(key)

    def unit_keys(
        self, *, before_merger: bool | None = None, after_merger: bool | None = None
    ) -> list[str]:
        return [
            unit.key
            for unit in self._units.values()
            if (before_merger is None or unit.before_merger == before_merger)
            and (after_merger is None or unit.after_merger == after_merger)
        ]

    def is_current(self, key: str) -> bool:
        unit = self._units.get(key)
        return bool(unit and unit.after_merger)

    def predecessors(self, key: str) -> tuple[str, ...]:
        """Former units merged into `key` on 1 July 2025 (not counting `key` itself)."""
        return tuple(old for old in self._mergers.get(key, ()) if old != key)

    def successor(self, key: str) -> str | None:
        """The unit `key` was merged into on 1 July 2025, if it was merged away."""
        return self._successor.get(key)

    def display_name(self, key: str, lang: str) -> str:
        """The unit's name as a reader of `lang` expects it; the key itself if unknown."""
        unit = self._units.get(key)
        if unit is None:
            return key
        if lang == "vi":
            return unit.vi
        if lang in ("ru", "uk", "zh", "en", "fr") and unit.names.get(lang):
            return unit.names[lang][0]
        if lang in ("ru", "uk"):
            return self._generated[key][lang][0]
        if lang == "fr" and unit.names.get("en"):
            return unit.names["en"][0]
        if unit.names.get("en"):
            return unit.names["en"][0]
        return _ascii(unit.vi)

    def is_own_name(self, surface: str, key: str) -> bool:
        """Whether `surface` spells the unit's own name in some script ("Лам Донг",
        "Lamdong"), not another name that also leads to it (its capital "Đà Lạt")."""
        unit = self._units.get(key)
        if unit is None:
            return False
        names = {self.display_name(key, lang) for lang in ("vi", "en", "ru", "uk", "fr", "zh")}
        names.update(name for values in self._generated[key].values() for name in values)
        return _compact(surface) in {_compact(name) for name in names}

    def variants(self, key: str) -> list[str]:
        """Every name of the unit across scripts (curated first, then generated), deduplicated."""
        unit = self._units.get(key)
        if unit is None:
            return []
        out: list[str] = [unit.vi, _ascii(unit.vi)]
        for lang in ("en", "ru", "uk", "fr", "zh"):
            out.extend(unit.names.get(lang, ()))
        out.extend(unit.aliases)
        for values in self._generated[key].values():
            out.extend(values)
        return list(dict.fromkeys(name for name in out if name))

    def expansion_names(self, key: str) -> list[str]:
        """A short list for query expansion: Vietnamese, ASCII, Russian, Ukrainian, English."""
        unit = self._units.get(key)
        if unit is None:
            return []
        out = [
            unit.vi,
            _ascii(unit.vi),
            self.display_name(key, "ru"),
            self.display_name(key, "uk"),
            self.display_name(key, "en"),
        ]
        # The spaced Cyrillic spelling ("Лам Донг") is as common as the joined one.
        for lang in ("ru", "uk"):
            spaced = self._generated[key][lang][-1]
            if _compact(spaced) == _compact(self.display_name(key, lang)):
                out.append(spaced)
        return list(dict.fromkeys(out))

    def resolve(self, name: str) -> str | None:
        """A user-typed place ("Lâm Đồng", "lamdong", "Ламдонг", "tỉnh Lâm Đồng", "lam-dong") -> key."""
        text = unicodedata.normalize("NFC", name or "").strip()
        if not text:
            return None
        if text in self._units:
            return text
        folded = _compact(text)
        if folded in self._index:
            return self._index[folded]
        words = " ".join(fold(word) for word in _WORD.findall(text))
        for prefix in _PREFIXES:
            if words.startswith(prefix + " "):
                rest = words[len(prefix) + 1 :].replace(" ", "")
                if rest in self._index:
                    return self._index[rest]
        matches = self.find_places(text)
        if len(matches) == 1:
            return matches[0][0]
        if len(folded) >= FUZZY_MIN_LENGTH:
            return self._fuzzy(folded)
        return None

    def _fuzzy(self, folded: str, initials: str | None = None) -> str | None:
        """The one unit whose name is one edit from `folded`; a multi-word window must also
        keep each word's first letter ("Binh Minh" is not a typo of "Binh Dinh")."""
        found: set[str] = set()
        for length in (len(folded) - 1, len(folded), len(folded) + 1):
            for candidate in self._by_length.get(length, ()):
                if (
                    len(candidate) >= FUZZY_MIN_LENGTH
                    and candidate[0] == folded[0]
                    and within_one_edit(folded, candidate)
                    and (initials is None or initials in self._initials.get(candidate, ()))
                ):
                    found.add(self._index[candidate])
        # Two different units one typo away: too ambiguous to guess.
        return found.pop() if len(found) == 1 else None

    def places_named(self, text: str) -> set[str]:
        """Keys of the units `text` names, in any spelling or script."""
        return set(self._keys_named(text))

    def _find_keys_named(self, text: str) -> frozenset[str]:
        return frozenset(key for key, _surface, _s, _e in self.find_places(text))

    def _cities_named(self, text: str) -> frozenset[str]:
        """Keys of the provinces whose city of the same name `text` names ("Ha Giang city",
        "thành phố Thái Nguyên", "TP. Bắc Kạn", "город Хазянг", "місто Хазянг"): a part
        of the province, not the whole. A centrally-run city is its own unit."""
        keys = set()
        for key, _surface, start, end in self.find_places(text):
            unit = self.unit(key)
            if unit is None or unit.kind != "province":
                continue
            if _CITY_BEFORE.search(text, max(0, start - 16), start) or _CITY_AFTER.match(text, end):
                keys.add(key)
        return frozenset(keys)

    def _parts_named(self, text: str) -> frozenset[str]:
        """Skeletons (`part_skeleton`) of the cities, towns and districts the text
        names that are no province's name ("город Витхань", "Vi Thanh city": the same
        skeleton in any script); a province's city of the same name is `cities_named`'s."""
        return frozenset(
            part_skeleton(name) for name in part_names(text) if not self.places_named(name)
        )

    def find_places(self, text: str) -> list[tuple[str, str, int, int]]:
        """Places named in `text`: (key, surface, start, end), longest match first, in text order.

        Diacritic- and case-insensitive; Cyrillic names joined or spaced; one typo tolerated
        in names of at least `FUZZY_MIN_LENGTH` letters written with capitals (or anywhere in
        an all-lower-case text).
        """
        text = unicodedata.normalize("NFC", text or "")
        words = [_without_possessive(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]
        folded_words = [_fold_word(word) for word, _, _ in words]
        # breaks[j]: punctuation between word j and word j+1 that a name cannot span.
        breaks = [
            bool(_BREAK.search(text[words[j][2] : words[j + 1][1]])) for j in range(len(words) - 1)
        ]
        # next_break[j]: the first break at or after j (len(words) when there is none).
        next_break = [len(words)] * (len(words) + 1)
        for j in range(len(breaks) - 1, -1, -1):
            next_break[j] = j if breaks[j] else next_break[j + 1]
        all_lower = text == text.lower()
        found: list[tuple[str, str, int, int]] = []
        i = 0
        while i < len(words):
            word = words[i][0]
            if folded_words[i] not in self._name_starts and (
                (not all_lower and not word[:1].isupper()) or _has_vietnamese_marks(word)
            ):
                # Neither the start of a name nor a word a typo match may begin with
                # (the checks `_match_at` would make first).
                i += 1
                continue
            match = self._match_at(words, folded_words, next_break, i, all_lower)
            if match is None:
                i += 1
                continue
            key, n = match
            if not key:  # a name that is not a place ("Thái Bình Dương", the Pacific)
                i += n
                continue
            if i > 0 and not breaks[i - 1] and _is_surname(words[i - 1][0]):
                # "Nguyễn Hòa Bình", "Нгуєн Хоа Бінь": a person, not the province.
                i += n
                continue
            if not all_lower and self._ends_in_a_common_word(
                key, [w for w, _, _ in words[i : i + n]]
            ):
                # "cảng Nghi Sơn là bao nhiêu": "Sơn là" is no "Sơn La".
                i += 1
                continue
            start, end = words[i][1], words[i + n - 1][2]
            found.append((key, text[start:end], start, end))
            i += n
        # Chinese names need a Chinese character in the text.
        for name, key in self._cjk if _CJK_RUN.search(text) else ():
            for m in re.finditer(re.escape(name), text):
                if not any(s <= m.start() < e for _, _, s, e in found):
                    found.append((key, name, m.start(), m.end()))
        found.sort(key=lambda item: item[2])
        return found

    def _ends_in_a_common_word(self, key: str, typed: list[str]) -> bool:
        """Whether a name matched without its diacritics takes in a common word: one of its
        words is written in lower case, with Vietnamese marks and another tone than the
        name's ("Sơn là" read as "Sơn La"). Names are written with capitals; a text in
        lower case throughout is read as typed."""
        own = self.display_name(key, "vi").split()
        if len(own) != len(typed):
            return False
        return any(
            word[:1].islower() and _has_vietnamese_marks(word) and _tone(word) != _tone(name)
            for word, name in zip(typed, own, strict=True)
        )

    def _match_at(
        self,
        words: list[tuple[str, int, int]],
        folded_words: list[str],
        next_break: list[int],
        i: int,
        all_lower: bool,
    ) -> tuple[str, int] | None:
        """(key, number of words) of the longest name starting at word `i`; key "" for a
        phrase that looks like a place name but is not one."""
        # Windows must not run across sentence punctuation ("Ha. Noi"): the longest one
        # ends at the word before the first break after word i.
        longest = min(self._max_words, len(words) - i, next_break[i] - i + 1)
        # Exact names, longest first: grow the window while it is the start of some name.
        hit = 0
        window = ""
        for n in range(1, longest + 1):
            window += folded_words[i + n - 1]
            if window not in self._name_starts:
                break
            if (
                window in self._not_places
                or window in self._index
                or (len(folded_words[i + n - 1]) > 3 and window in self._inflected)
            ):
                hit = n
        if hit:
            window = "".join(folded_words[i : i + hit])
            if window in self._not_places:
                return "", hit
            key = self._index.get(window)
            return (key, hit) if key is not None else (self._inflected[window], hit)
        # One typo, in capitalised words without Vietnamese marks (all of them, so the
        # first word decides for every window).
        first = words[i][0]
        if not all_lower and not first[:1].isupper():
            return None
        if _has_vietnamese_marks(first):
            return None
        for n in range(longest, 0, -1):
            window = "".join(folded_words[i : i + n])
            if len(window) < FUZZY_MIN_LENGTH or not window.isalpha():
                continue
            if not all_lower and not all(w[0][:1].isupper() for w in words[i : i + n]):
                continue
            if any(_has_vietnamese_marks(w[0]) for w in words[i : i + n]):
                continue
            initials = "".join(word[:1] for word in folded_words[i : i + n]) if n > 1 else None
            lookup = (window, initials)
            if lookup not in self._fuzzy_found:
                self._fuzzy_found[lookup] = self._fuzzy(window, initials)
            key = self._fuzzy_found[lookup]
            if key is not None:
                return key, n
        return None

    @cached_property
    def _sound_index(self) -> dict[str, set[str]]:
        index: dict[str, set[str]] = {}
        for key in self._units:
            for name in self.variants(key):
                skeleton = sound_skeleton(name)
                if len(skeleton) >= MIN_SKELETON:
                    index.setdefault(skeleton, set()).add(key)
        return index

    def find_places_by_sound(self, text: str) -> list[tuple[str, str, int, int]]:
        """Places written in a spelling the gazetteer does not list: runs of one to three
        capitalised words whose sound skeleton (with a case ending dropped) is that of exactly
        one unit's name, or one letter away from it. Same tuples as `find_places`."""
        found: list[tuple[str, str, int, int]] = []
        for words in _name_runs(text):
            i = 0
            while i < len(words):
                match = None
                for n in range(min(MAX_SOUND_NAME_WORDS, len(words) - i), 0, -1):
                    start, end = words[i].start(), words[i + n - 1].end()
                    keys = self._keys_by_sound(text[start:end])
                    if len(keys) == 1:
                        match = (keys.pop(), text[start:end], start, end, n)
                        break
                if match is None:
                    i += 1
                    continue
                key, surface, start, end, n = match
                found.append((key, surface, start, end))
                i += n
        return found

    def _keys_by_sound(self, surface: str) -> set[str]:
        index = self._sound_index
        forms = [surface]
        forms.extend(surface[: -len(e)] for e in _CASE_ENDINGS if surface.lower().endswith(e))
        for form in forms:
            skeleton = sound_skeleton(form)
            if len(skeleton) < MIN_SKELETON:
                continue
            if skeleton in index:
                return set(index[skeleton])
            near = {
                key
                for other, keys in index.items()
                if within_one_edit(skeleton, other)
                for key in keys
            }
            if near:
                return near
        return set()

    def covering_units(
        self, key: str, since: date | None = None, until: date | None = None
    ) -> tuple[str, ...]:
        """Units whose articles may speak about `key` in the period [since, until].

        The unit itself always comes first. When the period reaches 1 July 2025 or later
        (an open end counts), a merged unit also covers the former units it was formed from
        ("lam-dong" -> "dak-nong", "binh-thuan"), and a merged-away unit reaches the unit
        it went into ("ha-giang" -> "tuyen-quang"). A period that ends before the merger
        covers just the unit. Renames without territorial change (Huế) are always covered.
        """
        unit = self._units.get(key)
        if unit is None:
            return (key,)
        out = [key, *unit.same_territory]
        reaches_after = until is None or until >= self.merger_date
        if since is not None and until is not None and since > until:
            reaches_after = False
        if reaches_after:
            for territory in list(out):
                out.extend(self.predecessors(territory))
                successor = self.successor(territory)
                if successor:
                    out.append(successor)
        return tuple(dict.fromkeys(out))


# Common Vietnamese family names (folded, Latin and Cyrillic): a place name right after one
# is a person's given name.
_SURNAMES = frozenset(
    (
        *("nguyen", "tran", "pham", "hoang", "huynh", "phan", "dang", "bui", "ngo", "duong"),
        *("vu", "vo", "le", "trinh", "dinh", "doan", "luong"),
        *("нгуен", "чан", "фам", "хоанг", "хюинь", "фан", "данг", "буи", "нго", "зионг"),
        *("ву", "во", "ле", "чинь", "динь", "доан", "линг"),
    )
)


def _is_surname(word: str) -> bool:
    return word[:1].isupper() and fold(word) in _SURNAMES


# Folding and mark checks are per word, and words repeat from passage to passage.
_fold_word = lru_cache(maxsize=200_000)(fold)

# The English possessive ending: "Son La's plan" names Son La.
_POSSESSIVE = re.compile(r"['’ʼ]s$", re.IGNORECASE)


def _without_possessive(word: str, start: int, end: int) -> tuple[str, int, int]:
    """A word and its span without an English possessive ending."""
    match = _POSSESSIVE.search(word)
    if match is None or match.start() == 0:
        return word, start, end
    return word[: match.start()], start, start + match.start()


def _tone(word: str) -> frozenset[int]:
    """The tone marks of a word, wherever they are placed ("Hoá" and "Hóa" alike)."""
    return frozenset(ord(ch) for ch in unicodedata.normalize("NFD", word)) & _TONE_MARKS.keys()


@lru_cache(maxsize=200_000)
def _has_vietnamese_marks(word: str) -> bool:
    # Cyrillic letters carry marks of their own (й is и with a breve): not Vietnamese tones.
    if _CYRILLIC.search(word):
        return False
    return "đ" in word.lower() or any(
        ch in _VIETNAMESE_MARKS for ch in unicodedata.normalize("NFD", word)
    )
