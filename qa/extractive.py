"""Extractive answers: the sentences of the evidence that answer the question, each cited.

Sentences are split with their offsets into the article's stored text, so every quote is
`article.text[start:end]` exactly. Each candidate is scored on

- meaning: the embedder's query/passage similarity at sentence level, calibrated
  against unrelated "null" sentences so that the scale does not depend on the model;
- words: overlap of the question's content words (case, diacritics and inflection
  folded);
- constraints: the place named (in any spelling), a deadline in the period asked about,
  a document number asked about, and the passage's retrieval rank.

A sentence in another language than the question's is also scored through the same
sentence in the story's other versions (translations aligned by the numbers they share and
their position), so that an answer written only in Vietnamese is found for a question in
Ukrainian; the sentence quoted stays the one of the version retrieval chose.

The answer is refused, in the question's language and stating what was searched, when
the best sentence's support (meaning and words, not constraint boosts) falls below the
threshold calibrated for the embedder (`MIN_SUPPORT_BY_PROFILE`), when the question names
a place none of the evidence is about, a document number no cited article mentions, or a
numbered meeting ("the second meeting") that the evidence numbers otherwise, or when a
question about commitments finds no sentence that commits to anything.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from index.mentions import find_dates, find_doc_numbers, normalize_doc_number, period_end
from index.models import Embedder, IndexedArticle, MentionedDate
from index.sentences import split_sentences
from qa.gazetteer import Gazetteer
from qa.models import Answer, Citation, Commitment, QueryPlan
from qa.retrieve import Evidence, fold, places_named

logger = logging.getLogger(__name__)

# Weights of the combined sentence score.
W_DENSE = 0.55
W_KEYWORD = 0.25
W_PASSAGE = 0.10
W_PLACE = 0.06
W_DEADLINE = 0.08
W_DOC = 0.10
W_CUE = 0.05
W_INTENT = 0.05
# Penalty for a passage whose words can be compared with the question's and that holds
# less than this share of its topic words.
W_OFF_TOPIC = 0.10
OFF_TOPIC = 0.2
# Share of meaning (the rest: topic words) in a sentence's support.
W_SUPPORT_DENSE = 0.6
# Support below this (calibrated meaning and words, 0..1) means the evidence does not carry
# the answer. Score distributions differ between embedders, so the threshold is kept per
# embedder profile (the prefix of `Embedder.name`). Calibrated on the development question
# set (demo/questions.jsonl) with `qa.evaluate.sweep_min_support` over 0.20..0.50 in steps
# of 0.02: each profile gets the highest threshold at which every answerable question is
# still answered (e5-small: 0.30, refusing 7 of 10 unanswerable; gemma: 0.34, refusing 7
# of 10). The held-out set (demo/questions_holdout.jsonl) checks it; refusals of the
# near-misses that support cannot separate come from the constraint checks in `decide`.
# Other embedders use the default.
DEFAULT_MIN_SUPPORT = 0.28
MIN_SUPPORT_BY_PROFILE: dict[str, float] = {
    "e5-small": 0.30,
    "gemma": 0.34,
}
# At most this many sentences are embedded per question (pre-ranked by words and rank).
MAX_EMBEDDED_SENTENCES = 24
# Of those, at most this many are also read through another version of their story.
MAX_EMBEDDED_SIBLINGS = 12
MAX_FACT_SENTENCES = 3
MAX_LIST_SENTENCES = 5
MAX_COMMITMENTS = 6

NULL_SENTENCES = (
    "The weather was sunny this morning with a light breeze from the sea.",
    "The local football team won last night's match two goals to one.",
    "Trời hôm nay nắng nhẹ, gió thổi từ biển vào.",
    "Đội bóng đá địa phương thắng trận tối qua với tỷ số hai một.",
    "Сегодня утром была солнечная погода и лёгкий ветер с моря.",
    "Кіт спав на дивані весь день, поки йшов дощ.",
    "Le chat a dormi sur le canapé toute la journée.",
    "今天早上天气晴朗，海风很轻。",
)

_STOPWORDS_RAW = """
a an the of to in on at by for from and or is are was were be been being do does did what
which who whom whose when where why how that this these those it its with as about into than
then there their they them he she his her we you your our i me my not no yes will would shall
should can could may might has have had any all some tell give list please many much
province provinces provincial year years new do does make made
va cua la cac nhung gi nao ai khi o tai trong cho voi ve theo den tu da se duoc co khong nay do
mot nhu the hay hoac bao nhieu sao vay tinh thanh pho nam thang ngay
и в во на с со к ко по о об от до из за для что кто как когда где какие какой каких ли же не
ни а но или это этот эта эти тот та те был была были будет есть его ее их он она они мы вы
сколько какая какое каким каком чем чего какова каков каковы провинция провинции провинций
год года году году сделать новой новая новых
і й в у на з зі до від за для що хто як коли де які який яких чи не ні але або це цей ця ці той
був була були буде є його її їх він вона вони ми ви скільки яка яке яким чого провінція
провінції провінцій рік року році зробити нової нова нових
le la les de des du un une et ou est sont que qui quoi quand ou comment a au aux en dans pour par
moi lam
"""
_QUESTION_ONLY_RAW = """
commit committed commitments pledge pledged promise promised
cam ket hua
обязалась обязался обязательства пообещала
зобов'язалася зобов'язання пообіцяла
"""


def _word_tokens(text: str) -> list[str]:
    # Apostrophes inside words belong to them (Ukrainian "зобов'язався", English "People's").
    return re.findall(r"\w+(?:['’ʼ]\w+)*", fold(text))


STOPWORDS = frozenset(_word_tokens(_STOPWORDS_RAW))
QUESTION_ONLY = frozenset(_word_tokens(_QUESTION_ONLY_RAW))

# Commitment wording: pledges and targets (strong), and tasks assigned or to be done
# (directive), matched on the folded text. Latin-script cues are whole words unless they
# end in "*" (a prefix); Cyrillic cues are stems, so prefixes ("обязал" -> "обязался").
_STRONG_CUES = (
    "cam kết",
    "phấn đấu",
    "quyết tâm",
    "hứa",
    "mục tiêu",
    "chỉ tiêu",
    "commit",
    "commits",
    "committed",
    "committing",
    "commitment*",
    "pledg*",
    "promis*",
    "vow*",
    "aim",
    "aims",
    "aimed",
    "strive*",
    "target*",
    "обязал",
    "обязу",
    "обеща",
    "стремит",
    "цель",
    "цели",
    "зобов",
    "обіця",
    "прагн",
    "мета",
    "мету",
    "engag*",
    "objectif*",
    "承诺",
    "目标",
)
_DIRECTIVE_CUES = (
    "giao",
    "yêu cầu",
    "đề nghị",
    "chỉ đạo",
    "nhiệm vụ",
    "hoàn thành",
    "triển khai",
    "chủ trì",
    "bảo đảm",
    "đảm bảo",
    "phải",
    "sẽ",
    "trước ngày",
    "will",
    "must",
    "complete",
    "completing",
    "task*",
    "assign*",
    "direct",
    "directed",
    "request*",
    "require*",
    "ensure*",
    "plan to",
    "plans to",
    "deadline*",
    "urge*",
    "called on",
    "asked",
    "instruct*",
    "поручи",
    "потребова",
    "необходимо",
    "завершит",
    "задач",
    "обеспеч",
    "должн",
    "будет",
    "планир",
    "призва",
    "предлож",
    "сосредоточ",
    "доруч",
    "вимага",
    "необхідно",
    "завдан",
    "забезпеч",
    "повинн",
    "буде",
    "планує",
    "закли",
    "запропон",
    "зосеред",
    "doit",
    "achev*",
    "tache*",
    "charg*",
    "完成",
    "任务",
    "要求",
    "确保",
    "部署",
)


def _cue_pattern(cues: Sequence[str]) -> re.Pattern[str]:
    parts = []
    for raw in dict.fromkeys(cues):
        prefix = raw.endswith("*")
        cue = fold(raw.rstrip("*"))
        if re.match(r"[\u4e00-\u9fff]", cue):
            parts.append(re.escape(cue))
        elif prefix or not cue.isascii():
            parts.append(rf"(?<!\w){re.escape(cue)}")
        else:
            parts.append(rf"(?<!\w){re.escape(cue)}(?!\w)")
    return re.compile("|".join(parts))


STRONG_CUES = _cue_pattern(_STRONG_CUES)
DIRECTIVE_CUES = _cue_pattern(_DIRECTIVE_CUES)


def commitment_strength(sentence: str) -> int:
    """2 for a pledge or target, 1 for a task assigned or to be done, 0 otherwise."""
    folded = fold(sentence)
    if STRONG_CUES.search(folded):
        return 2
    return 1 if DIRECTIVE_CUES.search(folded) else 0


_PERSON_TITLES = frozenset(
    fold(t)
    for t in (
        "comrade",
        "secretary",
        "chairman",
        "chairwoman",
        "director",
        "mr",
        "ms",
        "minister",
        "đồng chí",
        "ông",
        "bà",
        "bí thư",
        "chủ tịch",
        "giám đốc",
        "phó chủ tịch",
        "товарищ",
        "товарища",
        "секретарь",
        "секретаря",
        "председатель",
        "председателя",
        "директор",
        "заместитель",
        "товариш",
        "секретар",
        "голова",
        "голови",
        "заступник",
    )
)
# Words of institutions' names, which come between a title and a person's name.
_INSTITUTION_WORDS = frozenset(
    _word_tokens(
        """provincial people's peoples committee council party department province steering
        central politburo standing city ubnd tỉnh ủy ban chỉ đạo hđnd hội đồng nhân dân sở
        thành phố trung ương комитет комитета провинции провинциального народного партии
        центрального совета комітету провінції провінційного партії центрального ради"""
    )
)
# The longest run of capitalised words kept as a name (Vietnamese names have 2 to 4).
_MAX_NAME_WORDS = 4


# Per-language framing. fr/zh and anything else fall back to English.
TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "fact": "According to the sources:",
        "commitments": "{who} committed to the following{period}:",
        "commitments_nowho": "Commitments found in the sources{period}:",
        "deadline": "deadline",
        "refusal": "The sources found do not answer this question.",
        "searched": "Searched: {what}.",
        "places": "place: {places}",
        "period": "period: {period}",
        "filters": "filters: {filters}",
        "passages": "{n} passages read",
        "everything": "all articles",
        "year_relaxed": "Nothing was found for {asked}; this answer is about {found}.",
    },
    "vi": {
        "fact": "Theo các nguồn tin:",
        "commitments": "{who} đã cam kết các nội dung sau{period}:",
        "commitments_nowho": "Các cam kết tìm thấy trong nguồn tin{period}:",
        "deadline": "thời hạn",
        "refusal": "Các nguồn tin tìm được không trả lời câu hỏi này.",
        "searched": "Đã tìm: {what}.",
        "places": "địa phương: {places}",
        "period": "thời gian: {period}",
        "filters": "bộ lọc: {filters}",
        "passages": "đã đọc {n} đoạn",
        "everything": "tất cả bài viết",
        "year_relaxed": "Không tìm thấy thông tin cho {asked}; câu trả lời này nói về {found}.",
    },
    "ru": {
        "fact": "Согласно источникам:",
        "commitments": "{who} взяла на себя следующие обязательства{period}:",
        "commitments_nowho": "Обязательства, найденные в источниках{period}:",
        "deadline": "срок",
        "refusal": "Найденные источники не отвечают на этот вопрос.",
        "searched": "Искали: {what}.",
        "places": "место: {places}",
        "period": "период: {period}",
        "filters": "фильтры: {filters}",
        "passages": "прочитано фрагментов: {n}",
        "everything": "все статьи",
        "year_relaxed": "Для периода «{asked}» ничего не найдено; ответ относится к периоду «{found}».",
    },
    "uk": {
        "fact": "Згідно з джерелами:",
        "commitments": "{who} взяла на себе такі зобов'язання{period}:",
        "commitments_nowho": "Зобов'язання, знайдені в джерелах{period}:",
        "deadline": "термін",
        "refusal": "Знайдені джерела не відповідають на це питання.",
        "searched": "Шукали: {what}.",
        "places": "місце: {places}",
        "period": "період: {period}",
        "filters": "фільтри: {filters}",
        "passages": "прочитано фрагментів: {n}",
        "everything": "усі статті",
        "year_relaxed": "Для періоду «{asked}» нічого не знайдено; відповідь стосується періоду «{found}».",
    },
}


def template(language: str, name: str) -> str:
    return TEMPLATES.get(language, TEMPLATES["en"])[name]


def min_support_for(embedder: Embedder) -> float:
    """The refusal threshold calibrated for the embedder's profile."""
    name = getattr(embedder, "name", "") or ""
    for profile, threshold in MIN_SUPPORT_BY_PROFILE.items():
        if name == profile or name.startswith(f"{profile}-"):
            return threshold
    return DEFAULT_MIN_SUPPORT


@dataclass
class Candidate:
    """A sentence of the evidence, with its article offsets and its scores."""

    evidence: Evidence
    start: int
    end: int
    text: str
    order: int
    keyword: float = 0.0
    dense: float = 0.0
    place: bool = False
    # The sentence names other places and not the one asked about.
    other_place: bool = False
    deadline_match: bool = False
    doc: bool = False
    cue: int = 0  # commitment_strength()
    intent_match: bool = False
    deadlines: list[date] = field(default_factory=list)
    # The same sentence in another version of the story (for a candidate written in another
    # language than the question's), and that version's language.
    sibling: str | None = None
    sibling_lang: str | None = None
    # Weighted share of the question's topic words in the passage and its title (None when
    # the question has none, or when its words cannot be compared with the passage's).
    passage_topic: float | None = None
    score: float = 0.0

    @property
    def article(self) -> IndexedArticle:
        return self.evidence.article

    @property
    def support(self) -> float:
        """How much the sentence itself carries the question (meaning and topic words)."""
        return W_SUPPORT_DENSE * self.dense + (1 - W_SUPPORT_DENSE) * self.keyword


_HAN = re.compile(r"[\u4e00-\u9fff]")


def content_tokens(text: str) -> list[str]:
    """Folded content words; CJK text as character bigrams."""
    tokens: list[str] = []
    for token in _word_tokens(text):
        if token in STOPWORDS or token.isdigit() and len(token) < 3:
            continue
        if _HAN.search(token):
            tokens.extend(token[i : i + 2] for i in range(max(1, len(token) - 1)))
        elif len(token) > 1:
            tokens.append(token)
    return tokens


def _stem(token: str) -> str:
    # Crude but language-neutral: inflected endings of ru/uk/en/fr words mostly fall
    # after the fifth letter.
    return token[:5] if len(token) > 5 else token


def keyword_overlap(query_tokens: Sequence[str], sentence: str) -> float:
    """Share of the question's content words found in the sentence."""
    wanted = {_stem(t) for t in query_tokens}
    if not wanted:
        return 0.0
    present = {_stem(t) for t in content_tokens(sentence)}
    return len(wanted & present) / len(wanted)


def topic_tokens(plan: QueryPlan, place_variants: Sequence[str] = ()) -> list[str]:
    """The question's topic words: content words that are not the place, the period, a
    number or the question's own framing ("commit to")."""
    excluded = {
        t for v in (*place_variants, *(p.surface for p in plan.places)) for t in content_tokens(v)
    }
    if plan.period_text:
        excluded.update(content_tokens(plan.period_text))
    for number in plan.doc_numbers:
        excluded.update(content_tokens(number))
    framing = plan.intent == "commitments"
    tokens = []
    for token in content_tokens(plan.search_text):
        if token in QUESTION_ONLY or token in excluded or any(ch.isdigit() for ch in token):
            continue
        if framing and STRONG_CUES.match(token):  # "commit", "зобов'язався": the intent
            continue
        if token not in tokens:
            tokens.append(token)
    return tokens


def _topic_weights(topic: Sequence[str], candidates: Sequence[Candidate]) -> dict[str, float]:
    """Inverse frequency of each topic word among the candidate sentences: a word that
    nearly every retrieved sentence contains says little about whether one answers."""
    if not topic:
        return {}
    stems = [{_stem(t) for t in content_tokens(c.text)} for c in candidates]
    n = len(stems)
    return {_stem(t): math.log(1 + n / (1 + sum(_stem(t) in s for s in stems))) for t in topic}


def _constraint_coverage(plan: QueryPlan, candidate: Candidate) -> float:
    """For a question without topic words ("What did Lam Dong commit to by May 2025?"), its
    constraints are the topic: the share met by the sentence (place, deadline, commitment
    wording); -1 when the question has none."""
    checks: list[bool] = []
    if plan.places:
        checks.append(candidate.place or candidate.evidence.place_match)
    if plan.deadline_since or plan.deadline_until:
        checks.append(candidate.deadline_match)
    if plan.intent == "commitments":
        checks.append(candidate.cue > 0)
    return sum(checks) / len(checks) if checks else -1.0


def weighted_overlap(weights: dict[str, float], sentence: str) -> float:
    """Weighted share of the topic words (stems) that the sentence contains."""
    total = sum(weights.values())
    if not total:
        return 0.0
    present = {_stem(t) for t in content_tokens(sentence)}
    return sum(w for stem, w in weights.items() if stem in present) / total


def sentence_spans(evidence: Evidence) -> list[tuple[int, int]]:
    """Sentence offsets in the article text, for the sentences of the evidence's chunk."""
    chunk, text = evidence.chunk, evidence.article.text
    spans = []
    for start, end in split_sentences(chunk.text, evidence.article.lang):
        a, b = chunk.start + start, chunk.start + end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
    return spans


_SOURCE_LINE = re.compile(r"^(?:source|nguồn|источник|джерело|来源)\s*[:：]", re.IGNORECASE)
_URL = re.compile(r"https?://\S+")


def _is_caption_or_noise(sentence: str) -> bool:
    stripped = sentence.strip()
    if len(stripped) < 20 or not re.search(r"\w{2,}", stripped):
        return True
    # "Source: https://..." lines and sentences that are mostly a link.
    if _SOURCE_LINE.match(stripped) or sum(map(len, _URL.findall(stripped))) > len(stripped) / 2:
        return True
    # Photo captions and table cells in the extracted text ("| The meeting |").
    return stripped.startswith("|") and stripped.endswith("|")


# Text addressed to a language model rather than to readers ("ignore previous
# instructions"). Crawled pages are data: such sentences are never quoted as evidence, so
# they reach neither an answer nor a generative prompt.
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget)\b(?:\W+\w+){0,4}?\W+(?:instructions?|prompts?)\b"
    r"|\bsystem prompt\b|\byou are now\b|\bas an ai\b"
    r"|\b(?:bo qua|phot lo)\b(?:\W+\w+){0,4}?\W+(?:huong dan|chi dan|lenh)\b"
    r"|\b(?:игнорир|забуд|ігнор|забуд)\w*(?:\W+\w+){0,4}?\W+(?:инструкц|указани|інструкц|вказівк)",
    re.IGNORECASE,
)


def looks_like_injection(sentence: str) -> bool:
    return bool(_INJECTION.search(fold(sentence)) or _INJECTION.search(sentence.casefold()))


def _dates_in_span(candidate: Candidate, reference: date | None) -> list[MentionedDate]:
    """Dates written in the sentence: the index's, else found again in the sentence (whose
    offsets then point into the sentence; only the values are used)."""
    chunk = candidate.evidence.chunk
    inside = [d for d in chunk.dates if d.start >= candidate.start and d.end <= candidate.end]
    if inside:
        return inside
    return find_dates(candidate.text, candidate.article.lang, reference=reference)


def _doc_numbers(text: str) -> set[str]:
    return {number for number, _s, _e in find_doc_numbers(text)}


def gather_candidates(evidence: Sequence[Evidence]) -> list[Candidate]:
    candidates: list[Candidate] = []
    seen: set[tuple[str, int, int]] = set()
    for item in evidence:
        for start, end in sentence_spans(item):
            key = (item.article.id, start, end)
            sentence = item.article.text[start:end]
            if key in seen or _is_caption_or_noise(sentence):
                continue
            if looks_like_injection(sentence):
                logger.warning(
                    "not quoting instruction-like text in %s: %r", item.article.url, sentence[:120]
                )
                continue
            seen.add(key)
            candidates.append(Candidate(item, start, end, sentence, order=len(candidates)))
    return candidates


_NUMBER = re.compile(r"\d+(?:[.,\s\u00a0\u202f]\d{3}(?!\d))*(?:[.,]\d+)?")
# Version to score a foreign sentence through, after the question's own language.
_NEIGHBOUR_LANGUAGES = {"ru": ("uk", "en"), "uk": ("ru", "en"), "vi": ("en",)}


def _base_language(code: str | None) -> str:
    return (code or "").split("-")[0].lower()


def numbers_in(text: str) -> set[str]:
    """Numbers written in the text, separators folded ("1.386" = "1,386" = "1386",
    "62,7" = "62.7"), for aligning translations."""
    found = set()
    for match in _NUMBER.finditer(text):
        value = re.sub(r"(?<=\d)[.,\s\u00a0\u202f](?=\d{3}(?!\d))", "", match.group())
        found.add(value.replace(",", "."))
    return found


class _VersionSentences:
    """Sentences of an article version with their relative positions (cached per id)."""

    def __init__(self) -> None:
        self.cache: dict[str, list[tuple[str, float, set[str]]]] = {}

    def of(self, article: IndexedArticle) -> list[tuple[str, float, set[str]]]:
        if article.id not in self.cache:
            length = max(1, len(article.text))
            rows = []
            for start, end in split_sentences(article.text, article.lang):
                text = article.text[start:end]
                if not _is_caption_or_noise(text) and not looks_like_injection(text):
                    rows.append((text, start / length, numbers_in(text)))
            self.cache[article.id] = rows
        return self.cache[article.id]


def aligned_sentence(
    candidate: Candidate, version: IndexedArticle, sentences: _VersionSentences
) -> str | None:
    """The sentence of `version` (a translation of the candidate's article) that says the
    same: the one sharing most numbers with the candidate, near the same relative
    position. None when the candidate has numbers and no sentence shares any."""
    own = numbers_in(candidate.text)
    position = candidate.start / max(1, len(candidate.article.text))
    best: tuple[float, str] | None = None
    for text, where, numbers in sentences.of(version):
        union = own | numbers
        overlap = len(own & numbers) / len(union) if union else 1.0
        if own and not own & numbers:
            continue
        fit = overlap + 0.5 * (1.0 - abs(where - position))
        if best is None or fit > best[0]:
            best = (fit, text)
    return best[1] if best else None


# Languages whose words share enough stems for the word overlap to mean something.
_KINDRED_LANGUAGES = ({"ru", "uk"},)


def _words_comparable(language: str, candidate: Candidate, *, through_sibling: bool = True) -> bool:
    """Whether the question's words can be looked for in the candidate (or its sibling)."""
    sibling = candidate.sibling_lang if through_sibling else None
    for other in (_base_language(candidate.article.lang), sibling):
        if other and (other == language or any({language, other} <= k for k in _KINDRED_LANGUAGES)):
            return True
    return False


def _sibling_version(candidate: Candidate, language: str) -> IndexedArticle | None:
    """The version of the candidate's story to read it through: the question's language,
    else a close one (Russian for Ukrainian), else English."""
    if _base_language(candidate.article.lang) == language:
        return None
    versions = {
        _base_language(v.lang): v
        for v in candidate.evidence.alternates
        if v.text and v.id != candidate.article.id
    }
    for code in (language, *_NEIGHBOUR_LANGUAGES.get(language, ("en",))):
        if code in versions and code != _base_language(candidate.article.lang):
            return versions[code]
    return None


class NullBaseline:
    """Similarity of a text to unrelated sentences: the floor that the embedder's scale
    puts under any pair of texts. Embedded once per embedder."""

    _cache: dict[str, np.ndarray] = {}

    @classmethod
    def vectors(cls, embedder: Embedder) -> np.ndarray:
        key = getattr(embedder, "name", repr(embedder))
        if key not in cls._cache:
            cls._cache[key] = np.asarray(embedder.embed_passages(list(NULL_SENTENCES)))
        return cls._cache[key]

    @classmethod
    def calibrate(cls, embedder: Embedder, query: np.ndarray, sims: np.ndarray) -> np.ndarray:
        """Map cosine similarities to 0..1, where 0 is "as close as an unrelated sentence"."""
        floor = float(np.mean(cls.vectors(embedder) @ query))
        floor = min(floor, 0.95)
        return np.clip((sims - floor) / (1.0 - floor), 0.0, 1.0)


def dense_prior(candidate: Candidate) -> float:
    """1 for a passage that dense retrieval ranked first, falling with its rank; 0 when
    dense retrieval did not find it."""
    rank = candidate.evidence.hit.dense_rank
    return 1.0 / (1.0 + 0.25 * (rank - 1)) if rank else 0.0


def score_candidates(
    plan: QueryPlan,
    candidates: list[Candidate],
    embedder: Embedder,
    *,
    place_variants: Sequence[str] = (),
    max_embedded: int = MAX_EMBEDDED_SENTENCES,
) -> list[Candidate]:
    """Score every candidate; returns them best first (only the embedded ones are kept)."""
    if not candidates:
        return []
    topic = topic_tokens(plan, place_variants)
    weights = _topic_weights(topic, candidates)
    wanted_docs = {normalize_doc_number(n) for n in plan.doc_numbers}
    n_passages = max(1, max(c.evidence.rank for c in candidates) + 1)

    versions = _VersionSentences()
    for candidate in candidates:
        sibling = _sibling_version(candidate, _base_language(plan.language))
        if sibling is not None:
            candidate.sibling = aligned_sentence(candidate, sibling, versions)
            candidate.sibling_lang = _base_language(sibling.lang) if candidate.sibling else None
        if weights:
            # A sentence of an article whose title matches the topic counts for a bit more.
            own = weighted_overlap(weights, candidate.text)
            title = weighted_overlap(weights, candidate.article.title)
            candidate.keyword = max(own, (own + title) / 2)
            candidate.passage_topic = weighted_overlap(
                weights, f"{candidate.article.title}\n{candidate.evidence.chunk.text}"
            )
            if candidate.sibling:
                candidate.keyword = max(
                    candidate.keyword, weighted_overlap(weights, candidate.sibling)
                )
        named = places_named(candidate.text)
        candidate.place = bool(named & set(plan.province_keys))
        candidate.other_place = bool(named) and not candidate.place
        candidate.cue = commitment_strength(candidate.text)
        published = candidate.article.published.date() if candidate.article.published else None
        mentioned = _dates_in_span(candidate, published)
        # Only dates worded as deadlines ("by", "before", "trước ngày", "до") are deadlines;
        # when something was issued or held is not.
        candidate.deadlines = sorted({period_end(d) for d in mentioned if d.kind == "deadline"})
        # What a "who" or "when" question looks for: a person named, a date written.
        if plan.intent == "who":
            candidate.intent_match = find_person(candidate.text) is not None
        elif plan.intent == "when":
            candidate.intent_match = bool(mentioned)
        if plan.deadline_since or plan.deadline_until:
            candidate.deadline_match = any(
                _within(d, plan.deadline_since, plan.deadline_until) for d in candidate.deadlines
            )
        if wanted_docs:
            candidate.doc = bool(wanted_docs & _doc_numbers(candidate.text))
        if not weights:
            candidate.keyword = _constraint_coverage(plan, candidate)

    def prerank(c: Candidate) -> float:
        # Words are blind across languages; the passage's dense rank is not.
        return (
            c.keyword
            + 0.5 * (1 - c.evidence.rank / n_passages)
            + 0.3 * dense_prior(c)
            + 0.2 * c.deadline_match
        )

    kept = sorted(candidates, key=prerank, reverse=True)[:max_embedded]
    query_vector = np.asarray(embedder.embed_queries([plan.search_text]))[0]
    # One batch: the sentences, then the aligned sentences of their other versions.
    siblings = [c for c in kept if c.sibling][:MAX_EMBEDDED_SIBLINGS]
    texts = [c.text for c in kept] + [c.sibling or "" for c in siblings]
    sentence_vectors = np.asarray(embedder.embed_passages(texts))
    dense = NullBaseline.calibrate(embedder, query_vector, sentence_vectors @ query_vector)
    through_sibling = dict(zip((id(c) for c in siblings), dense[len(kept) :], strict=True))
    language = _base_language(plan.language)

    for candidate, value in zip(kept, dense[: len(kept)], strict=True):
        candidate.dense = max(float(value), float(through_sibling.get(id(candidate), 0.0)))
        if candidate.keyword < 0:  # neither topic words nor constraints: meaning only
            candidate.keyword = candidate.dense
        elif not _words_comparable(language, candidate):
            # Words cannot be compared across languages: meaning stands in for them.
            candidate.keyword = max(candidate.keyword, candidate.dense)
        if not _words_comparable(language, candidate, through_sibling=False):
            candidate.passage_topic = None
        passage = 1.0 - candidate.evidence.rank / n_passages
        place = candidate.place or (candidate.evidence.place_match and bool(plan.places))
        candidate.score = (
            W_DENSE * candidate.dense
            + W_KEYWORD * candidate.keyword
            + W_PASSAGE * passage
            + W_PLACE * place
            + W_DEADLINE * candidate.deadline_match
            + W_DOC * candidate.doc
            + W_CUE * candidate.cue / 2 * (plan.intent == "commitments")
            + W_INTENT * candidate.intent_match
        )
        if candidate.passage_topic is not None and candidate.passage_topic < OFF_TOPIC:
            # A passage in the question's language without its topic words is about
            # something else; the answer may be in a passage in another language.
            candidate.score -= W_OFF_TOPIC
    kept.sort(key=lambda c: c.score, reverse=True)
    return kept


def _within(value: date, since: date | None, until: date | None) -> bool:
    return (since is None or value >= since) and (until is None or value <= until)


@dataclass
class Decision:
    """What the extractive step concluded: the sentences to cite, or why not."""

    selected: list[Candidate]
    refused: bool
    reason: str = ""
    best_support: float = 0.0


_ORDINALS: dict[str, int] = {
    # folded stems of ordinal words, per language
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "thu nhat": 1,
    "thu hai": 2,
    "thu ba": 3,
    "thu tu": 4,
    "thu nam": 5,
    "перв": 1,
    "втор": 2,
    "трет": 3,
    "четверт": 4,
    "пят": 5,
    "перш": 1,
    "друг": 2,
    "п'ят": 5,
}
_MEETING_ORDINAL = re.compile(
    r"(?<!\w)(first|second|third|fourth|fifth)\s+(?:\w+\s+){0,2}?(?:meeting|session|conference|plenum)"
    r"|(?:phien\s+hop|phien|hoi\s+nghi|ky\s+hop|cuoc\s+hop)\s+(?:lan\s+)?(thu\s+(?:nhat|hai|ba|tu|nam))(?!\w)"
    r"|(?<!\w)(перв|втор|трет|четверт|пят)\w*\s+(?:\w+\s+)?(?:заседани|сесси|совещани|пленум)"
    r"|(?<!\w)(перш|друг|трет|четверт|п['’ʼ]?ят)\w*\s+(?:\w+\s+)?(?:засідан|сесі|нарад|пленум)"
)


def meeting_ordinals(text: str) -> set[int]:
    """Which numbered meetings a text names ("the second meeting", "phiên họp lần thứ
    hai", "первое заседание", "друге засідання")."""
    found = set()
    for match in _MEETING_ORDINAL.finditer(fold(text)):
        word = next(g for g in match.groups() if g)
        word = re.sub(r"['’ʼ]", "'", " ".join(word.split()))
        if word in _ORDINALS:
            found.add(_ORDINALS[word])
    return found


def _article_ordinals(article: IndexedArticle, cache: dict[str, set[int]]) -> set[int]:
    if article.id not in cache:
        cache[article.id] = meeting_ordinals(f"{article.title}\n{article.text}")
    return cache[article.id]


# An event is reported from shortly before (time zones) to a few weeks after it.
EVENT_REPORTED_BEFORE = timedelta(days=2)
EVENT_REPORTED_AFTER = timedelta(days=21)


def _reports_event(plan: QueryPlan, candidate: Candidate) -> bool:
    """Whether the evidence is from the time of the event asked about: published while
    it was news, or naming a date within it."""
    published = candidate.article.published.date() if candidate.article.published else None
    since, until = plan.event_since, plan.event_until
    if published is not None and _within(
        published,
        since - EVENT_REPORTED_BEFORE if since else None,
        until + EVENT_REPORTED_AFTER if until else None,
    ):
        return True
    return any(_within(d.value, since, until) for d in candidate.evidence.chunk.dates)


def meets_constraints(plan: QueryPlan, ranked: list[Candidate]) -> tuple[list[Candidate], str]:
    """The candidates whose evidence meets what the question pins down beyond its topic:
    the place, a document number, a numbered meeting; and why none does."""
    if plan.places:
        ranked = [c for c in ranked if (c.place or c.evidence.place_match) and not c.other_place]
        if not ranked:
            return [], "no passage is about the place asked about"
    if plan.doc_numbers:
        wanted = {normalize_doc_number(n) for n in plan.doc_numbers}
        ranked = [
            c
            for c in ranked
            if c.doc or wanted & _doc_numbers(f"{c.article.title}\n{c.article.text}")
        ]
        if not ranked:
            return [], "no article mentions the document number asked about"
    if plan.event_since or plan.event_until:
        ranked = [c for c in ranked if _reports_event(plan, c)]
        if not ranked:
            return [], "no passage reports on the time of the event asked about"
    asked = meeting_ordinals(plan.search_text)
    if asked:
        cache: dict[str, set[int]] = {}
        # Reports of a numbered meeting name its number; one that does not is not its report.
        ranked = [c for c in ranked if asked & _article_ordinals(c.article, cache)]
        if not ranked:
            return [], "no article reports the numbered meeting asked about"
    return ranked, ""


def decide(
    plan: QueryPlan,
    ranked: list[Candidate],
    *,
    min_support: float = DEFAULT_MIN_SUPPORT,
) -> Decision:
    """Pick the answering sentences, or refuse when the evidence does not carry them."""
    if not ranked:
        return Decision([], True, "no passages matched")
    ranked, reason = meets_constraints(plan, ranked)
    if not ranked:
        return Decision([], True, reason)
    best_support = max(c.support for c in ranked)
    if best_support < min_support:
        return Decision(
            [], True, f"best support {best_support:.2f} < {min_support:.2f}", best_support
        )
    top = ranked[0].score
    if plan.intent == "commitments":
        pool = [c for c in ranked if c.cue and c.score >= 0.6 * top]
        if plan.deadline_since or plan.deadline_until:
            # Deadlines in the period first, then pledges that name no deadline at all.
            dated = [c for c in pool if c.deadline_match]
            # An undated pledge must itself name the place: a minister's general call in
            # the same article is not the province's commitment.
            undated = [
                c for c in pool if not c.deadlines and c.cue == 2 and (c.place or not plan.places)
            ]
            pool = dated + undated
        else:
            pool = [c for c in pool if c.cue == 2 or c.deadlines or c.support >= min_support]
        if not pool:
            return Decision([], True, "no sentence commits to anything in the period", best_support)
        limit = MAX_COMMITMENTS
    elif plan.intent in ("list", "comparison"):
        pool = [c for c in ranked if c.score >= 0.6 * top and c.support >= min_support]
        if len(plan.places) > 1:
            # A comparison needs each side: the best sentence about each place first.
            sides = [_best_about(ranked, place.key, min_support) for place in plan.places]
            pool = [c for c in sides if c is not None] + pool
        limit = MAX_LIST_SENTENCES
    else:
        pool = [c for c in ranked if c.score >= 0.75 * top and c.support >= min_support]
        limit = MAX_FACT_SENTENCES
    selected = _dedupe(pool or ranked[:1], limit)
    return Decision(selected, False, best_support=best_support)


def _best_about(ranked: list[Candidate], key: str, min_support: float) -> Candidate | None:
    for candidate in ranked:
        if candidate.support >= min_support and key in places_named(candidate.text):
            return candidate
    return None


def _dedupe(pool: list[Candidate], limit: int) -> list[Candidate]:
    chosen: list[Candidate] = []
    seen_text: set[str] = set()
    for candidate in pool:
        key = " ".join(content_tokens(candidate.text))
        if key in seen_text:
            continue
        seen_text.add(key)
        chosen.append(candidate)
        if len(chosen) == limit:
            break
    return chosen


_MARKER = re.compile(r"\[(\d+)\]")


def display_text(sentence: str) -> str:
    """A quoted sentence as shown in an answer: one line, and no `[n]` of its own that a
    reader could mistake for a citation marker."""
    return _MARKER.sub(r"(\1)", " ".join(sentence.split()))


def citation_for(n: int, article: IndexedArticle, start: int, end: int) -> Citation:
    quote = article.text[start:end]
    return Citation(
        n=n,
        article_id=article.id,
        url=article.url,
        title=article.title,
        site=article.site,
        published=article.published,
        lang=article.lang,
        quote=quote,
        start=start,
        end=end,
        original_url=article.translation_of,
    )


def find_person(sentence: str) -> str | None:
    """A person named after a title ("Comrade Nguyen Huu Nghia", "Bí thư Tỉnh ủy Hầu A
    Lềnh", "товарищ Хау А Лен"): the first run of two or more capitalised words, not part
    of an institution's name, within a few words after the title."""
    words = re.findall(r"\w[\w'’-]*", sentence)
    folded = [fold(w) for w in words]
    for i in range(len(words)):
        unigram = folded[i]
        bigram = f"{unigram} {folded[i + 1]}" if i + 1 < len(words) else ""
        if bigram in _PERSON_TITLES:
            after = i + 2
        elif unigram in _PERSON_TITLES:
            after = i + 1
        else:
            continue
        run: list[str] = []
        for word, folded_word in zip(
            words[after : after + 12], folded[after : after + 12], strict=False
        ):
            if word[:1].isupper() and folded_word not in _INSTITUTION_WORDS:
                run.append(word)
                continue
            if len(run) >= 2:
                break
            run = []
        if len(run) >= 2:
            return " ".join(run[:_MAX_NAME_WORDS])
    return None


def place_names(plan: QueryPlan, language: str) -> list[str]:
    names: list[str] = []
    for place in plan.places:
        name = Gazetteer.load().display_name(place.key, language) or place.surface
        if name not in names:
            names.append(name)
    return names


def searched_description(
    plan: QueryPlan, filters: dict[str, Any], n_passages: int
) -> tuple[str, dict[str, Any]]:
    """What was searched, as a phrase in the question's language and as data."""
    language = plan.language
    places = place_names(plan, language)
    parts: list[str] = []
    if places:
        parts.append(template(language, "places").format(places=", ".join(places)))
    if plan.period_text:
        parts.append(template(language, "period").format(period=plan.period_text))
    shown_filters = {k: v for k, v in filters.items() if v}
    if shown_filters:
        text = "; ".join(
            f"{k}={','.join(map(str, v)) if isinstance(v, list | tuple) else v}"
            for k, v in shown_filters.items()
        )
        parts.append(template(language, "filters").format(filters=text))
    if not parts:
        parts.append(template(language, "everything"))
    parts.append(template(language, "passages").format(n=n_passages))
    data: dict[str, Any] = {
        "places": places,
        "place_keys": list(plan.province_keys),
        "period": plan.period_text,
        "published_since": plan.published_since.isoformat() if plan.published_since else None,
        "published_until": plan.published_until.isoformat() if plan.published_until else None,
        "deadline_since": plan.deadline_since.isoformat() if plan.deadline_since else None,
        "deadline_until": plan.deadline_until.isoformat() if plan.deadline_until else None,
        "filters": shown_filters,
        "passages": n_passages,
    }
    return ", ".join(parts), data


def refusal(plan: QueryPlan, searched_text: str, searched: dict[str, Any]) -> Answer:
    language = plan.language
    text = f"{template(language, 'refusal')} {template(language, 'searched').format(what=searched_text)}"
    return Answer(answer=text, language=language, refused=True, searched=searched)


def compose(plan: QueryPlan, selected: list[Candidate], searched: dict[str, Any]) -> Answer:
    """The answer text in the question's language, one `[n]` per cited sentence."""
    language = plan.language
    citations: list[Citation] = []
    commitments: list[Commitment] = []
    lines: list[str] = []
    for n, candidate in enumerate(selected, start=1):
        citations.append(citation_for(n, candidate.article, candidate.start, candidate.end))
    if plan.intent == "commitments":
        names = place_names(plan, language)
        period = f" ({plan.period_text})" if plan.period_text else ""
        if names:
            lines.append(
                template(language, "commitments").format(who=", ".join(names), period=period)
            )
        else:
            lines.append(template(language, "commitments_nowho").format(period=period))
        for n, candidate in enumerate(selected, start=1):
            deadline = _commitment_deadline(plan, candidate)
            who = find_person(candidate.text) or (", ".join(names) if names else None)
            commitments.append(
                Commitment(what=candidate.text, who=who, deadline=deadline, citation_n=n)
            )
            line = f"{n}. {display_text(candidate.text)} [{n}]"
            if deadline:
                line += f" ({template(language, 'deadline')}: {deadline.isoformat()})"
            lines.append(line)
        text = "\n".join(lines)
    else:
        body = " ".join(f"{display_text(c.text)} [{n}]" for n, c in enumerate(selected, start=1))
        text = f"{template(language, 'fact')} {body}"
    return Answer(
        answer=text,
        language=language,
        refused=False,
        citations=citations,
        commitments=commitments,
        searched=searched,
    )


def _commitment_deadline(plan: QueryPlan, candidate: Candidate) -> date | None:
    if not candidate.deadlines:
        return None
    in_period = [
        d for d in candidate.deadlines if _within(d, plan.deadline_since, plan.deadline_until)
    ]
    published = candidate.article.published.date() if candidate.article.published else None
    later = [d for d in candidate.deadlines if published is None or d >= published]
    pool = in_period or later or candidate.deadlines
    return max(pool)


def extractive_answer(
    plan: QueryPlan,
    evidence: Sequence[Evidence],
    embedder: Embedder,
    *,
    filters: dict[str, Any] | None = None,
    place_variants: Sequence[str] = (),
    min_support: float = DEFAULT_MIN_SUPPORT,
) -> tuple[Answer, list[Candidate]]:
    """The extractive answer and the ranked candidates (for the generative step)."""
    candidates = gather_candidates(evidence)
    ranked = score_candidates(plan, candidates, embedder, place_variants=place_variants)
    decision = decide(plan, ranked, min_support=min_support)
    searched_text, searched = searched_description(plan, filters or {}, len(evidence))
    searched["support"] = round(decision.best_support, 3)
    if decision.refused:
        logger.info("refusing %r: %s", plan.question, decision.reason)
        searched["reason"] = decision.reason
        return refusal(plan, searched_text, searched), ranked
    return compose(plan, decision.selected, searched), ranked
