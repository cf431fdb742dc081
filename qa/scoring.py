"""Stage 2 of an extractive answer: score every candidate sentence.

Each candidate is scored on

- meaning: the embedder's query/passage similarity at sentence level, calibrated
  against unrelated "null" sentences so that the scale does not depend on the model;
- words: overlap of the question's topic words (case, diacritics and inflection folded),
  weighted by how rare each word is among the candidates;
- constraints: the place named (in any spelling), a deadline in the period asked about,
  a document number asked about, commitment wording, and the passage's retrieval rank.

A sentence in another language than the question's is also scored through the same
sentence in the story's other versions (`qa.align`); the sentence quoted stays the one of
the version retrieval chose. Every weight is in `ScoringConfig`.

Sentence vectors come from the index, which stores one for every sentence of every
article (`Retriever.sentence_vectors`), so a question costs one embedding: its own. Only
a sentence the index has no vector of is embedded here, at most `max_embedded` plus
`max_embedded_siblings` of them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from facts.doc_numbers import doc_number_key, find_doc_numbers
from facts.folding import fold_latin_diacritics
from index.mentions import find_dates, period_end
from index.models import Embedder, MentionedDate
from qa.abbreviations import abbreviations_defined, spelled_out
from qa.align import (
    VersionSentences,
    aligned_sentence,
    base_language,
    in_language,
    sibling_version,
    words_comparable,
)
from qa.answer_type import (
    AnswerPart,
    blanked,
    measures_asked,
    scores_in_per_cent,
    states_answer_type,
)
from qa.candidates import Candidate
from qa.gazetteer import Gazetteer
from qa.lexicon import (
    COMMITMENT_FRAMING,
    NULL_SENTENCES,
    QUESTION_ONLY,
    STRONG_CUES,
    commitment_strength,
    content_tokens,
    find_person,
    stem,
)
from qa.models import QueryPlan
from qa.retrieve import place_keys_for, within


@dataclass(frozen=True)
class ScoringConfig:
    """Every weight of the sentence score, in one place."""

    # The combined score: meaning, topic words, the passage's retrieval rank, and the
    # constraints the sentence meets.
    dense: float = 0.55
    keyword: float = 0.25
    passage: float = 0.10
    place: float = 0.18
    deadline: float = 0.08
    doc: float = 0.10
    cue: float = 0.05
    intent: float = 0.05
    # Penalty for a passage whose words can be compared with the question's and that holds
    # less than `off_topic_share` of its topic words.
    off_topic_penalty: float = 0.10
    off_topic_share: float = 0.2
    # How much a topic word carried over from an earlier turn counts in a follow-up.
    carried_word_weight: float = 0.5
    # Share of meaning (the rest: topic words) in a sentence's support.
    support_dense: float = 0.6
    # Pre-ranking before embedding: words, the passage's fused rank, its dense rank, a
    # deadline in the period, and, where words are blind (another language), a value of
    # the kind asked for ("860 tỷ đồng" answers "total resources" without a shared word).
    prerank_rank: float = 0.5
    prerank_dense_prior: float = 0.3
    prerank_deadline: float = 0.2
    prerank_value: float = 0.2
    # How fast the dense prior falls with the dense rank: 1 / (1 + slope * (rank - 1)).
    dense_prior_slope: float = 0.25
    # At most this many sentences are embedded per question (pre-ranked by words and rank),
    # the best few of every story first.
    max_embedded: int = 24
    per_story_first: int = 2
    # Beyond those, at most this many sentences going on from one read ("Riêng quý III,
    # tỷ lệ này đạt 83,1%"): they name only the part they add, so words pre-rank them low.
    max_continuations: int = 8
    # Of those, at most this many are also read through another version of their story.
    max_embedded_siblings: int = 12


SCORING = ScoringConfig()

# `Retriever.sentence_vectors`: the stored vector of each text, None where there is none.
SentenceLookup = Callable[[Sequence[str]], list[np.ndarray | None]]


def passage_vectors(
    texts: Sequence[str], embedder: Embedder, stored: SentenceLookup | None = None
) -> np.ndarray:
    """Passage vectors of `texts`: the index's where it has them, the embedder's (in one
    batch) for the rest."""
    found: list[np.ndarray | None] = list(stored(texts)) if stored else [None] * len(texts)
    missing = [i for i, vector in enumerate(found) if vector is None]
    if missing:
        embedded = np.asarray(embedder.embed_passages([texts[i] for i in missing]))
        for i, vector in zip(missing, embedded, strict=True):
            found[i] = vector
    if not found:
        return np.zeros((0, embedder.dimensions), dtype=np.float32)
    return np.vstack([np.asarray(v, dtype=np.float32) for v in found])


class NullBaseline:
    """Similarity of a text to unrelated sentences: the floor that the embedder's scale
    puts under any pair of texts. Embedded once per embedder and instance: a long-lived
    caller (the API, a CLI command) builds one and passes it to `answer()`."""

    def __init__(self) -> None:
        self._vectors: dict[str, np.ndarray] = {}

    def vectors(self, embedder: Embedder) -> np.ndarray:
        key = getattr(embedder, "name", repr(embedder))
        if key not in self._vectors:
            self._vectors[key] = np.asarray(embedder.embed_passages(list(NULL_SENTENCES)))
        return self._vectors[key]

    def calibrate(self, embedder: Embedder, query: np.ndarray, sims: np.ndarray) -> np.ndarray:
        """Map cosine similarities to 0..1, where 0 is "as close as an unrelated sentence"."""
        floor = float(np.mean(self.vectors(embedder) @ query))
        floor = min(floor, 0.95)
        return np.clip((sims - floor) / (1.0 - floor), 0.0, 1.0)


def without_diacritics(text: str) -> bool:
    """Whether the text is written in plain letters alone ("binh thuan sau sap nhap")."""
    return fold_latin_diacritics(text) == text


def typed_without_diacritics(plan: QueryPlan) -> bool:
    """Whether the question is Vietnamese typed in plain letters alone."""
    return base_language(plan.language) == "vi" and without_diacritics(plan.question)


def keyword_overlap(query_tokens: Sequence[str], sentence: str) -> float:
    """Share of the question's content words found in the sentence."""
    wanted = {stem(t) for t in query_tokens}
    if not wanted:
        return 0.0
    present = {stem(t) for t in content_tokens(sentence)}
    return len(wanted & present) / len(wanted)


def topic_tokens(plan: QueryPlan, place_variants: Sequence[str] = ()) -> list[str]:
    """The question's topic words: content words that are not the place, the period, a
    number or the question's own framing ("commit to")."""
    excluded = {
        t for v in (*place_variants, *(p.surface for p in plan.places)) for t in content_tokens(v)
    }
    if plan.period_text:
        excluded.update(content_tokens(plan.period_text))
    # "до кінця 2025 року", "II квартал": the period is checked on its own.
    for words in plan.time_words:
        excluded.update(content_tokens(words))
    # "скільки грошей", "what share": the value asked for is checked on its own.
    for words in plan.value_words:
        excluded.update(content_tokens(words))
    for number in plan.doc_numbers:
        excluded.update(content_tokens(number))
    framing = plan.intent == "commitments"
    tokens = []
    for token in content_tokens(plan.search_text):
        if token in QUESTION_ONLY or token in excluded or any(ch.isdigit() for ch in token):
            continue
        if framing and (STRONG_CUES.match(token) or token in COMMITMENT_FRAMING):
            # "commit to finish", "зобов'язався", "cam kết hoàn thành": the intent
            continue
        if token not in tokens:
            tokens.append(token)
    return tokens


class StemSets:
    """The content-word stems of each text, worked out once per question: a passage and
    its title are read again for every sentence in them."""

    def __init__(self) -> None:
        self._seen: dict[str, frozenset[str]] = {}

    def __call__(self, text: str) -> frozenset[str]:
        found = self._seen.get(text)
        if found is None:
            found = self._seen[text] = frozenset(stem(t) for t in content_tokens(text))
        return found


def topic_weights(
    topic: Sequence[str], candidates: Sequence[Candidate], stems: StemSets | None = None
) -> dict[str, float]:
    """Inverse frequency of each topic word among the candidate sentences: a word that
    nearly every retrieved sentence contains says little about whether one answers."""
    if not topic:
        return {}
    stems_of = stems or StemSets()
    sentences = [stems_of(c.text) for c in candidates]
    n = len(sentences)
    return {stem(t): math.log(1 + n / (1 + sum(stem(t) in s for s in sentences))) for t in topic}


def constraint_coverage(plan: QueryPlan, candidate: Candidate) -> float:
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


def weighted_overlap(
    weights: dict[str, float], sentence: str, stems: StemSets | None = None
) -> float:
    """Weighted share of the topic words (stems) that the sentence contains."""
    total = sum(weights.values())
    if not total:
        return 0.0
    present = (stems or StemSets())(sentence)
    return sum(w for word, w in weights.items() if word in present) / total


def dates_in_span(candidate: Candidate, reference: date | None) -> list[MentionedDate]:
    """Dates written in the sentence, with offsets into the sentence: the index's, else
    found again in the sentence."""
    chunk = candidate.evidence.chunk
    inside = [
        replace(d, start=d.start - candidate.start, end=d.end - candidate.start)
        for d in chunk.dates
        if d.start >= candidate.start and d.end <= candidate.end
    ]
    return inside or find_dates(candidate.text, candidate.article.lang, reference=reference)


DocNumbers = list[tuple[str, int, int]]  # facts.doc_numbers.find_doc_numbers()


def value_text(candidate: Candidate, docs: DocNumbers) -> str:
    """The sentence with its dates and document numbers (`docs`, as found in it) blanked
    out: "7 May 2025" and "Plan 151-KH/TU" are not the count or the amount asked for."""
    spans = [(d.start, d.end) for d in candidate.mentioned]
    spans.extend((start, end) for _number, start, end in docs)
    return blanked(candidate.text, spans)


def answers_part(
    part: AnswerPart,
    candidate: Candidate,
    values: str,
    docs: DocNumbers,
    counted: Sequence[str] = (),
    *,
    per_cent_scores: bool = True,
    measured: frozenset[str] = frozenset(),
) -> bool:
    """Whether the sentence gives what one part of the question asks for (`values`: the
    sentence as `value_text` leaves it; `docs`: its document numbers; `counted`: what the
    question counts; `per_cent_scores`: whether a percentage may be its score; `measured`:
    what the measures it asks for measure)."""
    if part == "person":
        return find_person(candidate.text) is not None
    if part == "date":
        return any(d.precision in ("day", "month") for d in candidate.mentioned)
    if part == "document":
        return bool(docs)
    return states_answer_type(
        values, part, counted, per_cent_scores=per_cent_scores, measured=measured
    )


def doc_numbers_in(text: str) -> set[str]:
    return {number for number, _s, _e in find_doc_numbers(text)}


# What joins a document number to its date: "Plan No. 09-KH/TU dated August 12, 2025",
# "Kế hoạch số 09-KH/TU ngày 12/8/2025", "План № 09-KH/TU от 12 августа".
_DOCUMENT_DATED = re.compile(r"\s*,?\s*(?:dated|of|issued\s+on|ngày|от|від|du)?\s*$", re.IGNORECASE)


def dates_another_document(
    text: str, mentioned: MentionedDate, docs: DocNumbers, wanted_docs: set[str]
) -> bool:
    """Whether the date is the date of a document the question does not ask about: it
    follows that document's number ("Plan 09-KH/TU dated August 12, 2025, replacing Plan
    151-KH/TU" does not say when Plan 151 was issued)."""
    if not wanted_docs:
        return False
    for number, _start, end in docs:
        if doc_number_key(number) in wanted_docs or end > mentioned.start:
            continue
        if mentioned.start - end <= 24 and _DOCUMENT_DATED.match(text[end : mentioned.start]):
            return True
    return False


def dense_prior(candidate: Candidate, config: ScoringConfig = SCORING) -> float:
    """1 for a passage that dense retrieval ranked first, falling with its rank; 0 when
    dense retrieval did not find it."""
    rank = candidate.evidence.hit.dense_rank
    return 1.0 / (1.0 + config.dense_prior_slope * (rank - 1)) if rank else 0.0


def _read_constraints(
    plan: QueryPlan,
    candidate: Candidate,
    weights: dict[str, float],
    wanted_docs: set[str],
    versions: VersionSentences,
    stems: StemSets,
    gazetteer: Gazetteer,
) -> None:
    """The word overlap and constraint matches of one candidate (no embedding)."""
    sibling = sibling_version(candidate, base_language(plan.language))
    if sibling is not None:
        candidate.sibling = aligned_sentence(candidate, sibling, versions)
        candidate.sibling_lang = base_language(sibling.lang) if candidate.sibling else None
    if weights:
        # A sentence of an article whose title matches the topic counts for a bit more.
        # "the PII" is the "Provincial Innovation Index" its article defined earlier.
        defined = abbreviations_defined(candidate.article.text)
        own = weighted_overlap(weights, spelled_out(candidate.text, defined), stems)
        title = weighted_overlap(weights, candidate.article.title, stems)
        candidate.keyword = max(own, (own + title) / 2)
        candidate.passage_topic = weighted_overlap(
            weights, f"{candidate.article.title}\n{candidate.evidence.chunk.text}", stems
        )
        if candidate.sibling:
            candidate.keyword = max(
                candidate.keyword, weighted_overlap(weights, candidate.sibling, stems)
            )
    named = gazetteer.places_named(candidate.text)
    candidate.place = bool(named & set(place_keys_for(plan, candidate.article, gazetteer)))
    candidate.other_place = bool(named) and not candidate.place
    candidate.cue = commitment_strength(candidate.text)
    published = candidate.article.published.date() if candidate.article.published else None
    mentioned = dates_in_span(candidate, published)
    candidate.mentioned = mentioned
    # Only dates worded as deadlines ("by", "before", "trước ngày", "до") are deadlines;
    # when something was issued or held is not.
    candidate.deadlines = sorted({period_end(d) for d in mentioned if d.kind == "deadline"})
    # Document numbers are read once: values, parts and the document asked for need them.
    asks_values = bool(plan.answer_parts) or plan.answer_type is not None
    docs = find_doc_numbers(candidate.text) if asks_values or wanted_docs else []
    # What a "who" or "when" question looks for: a person named, a date written (when a
    # document is asked about, not another document's date).
    if plan.intent == "who":
        candidate.intent_match = find_person(candidate.text) is not None
    elif plan.intent == "when":
        own_dates = [
            d for d in mentioned if not dates_another_document(candidate.text, d, docs, wanted_docs)
        ]
        candidate.intent_match = bool(candidate.deadlines if plan.asks_deadline else own_dates)
    if asks_values:
        values = value_text(candidate, docs)
        per_cent_scores = scores_in_per_cent(plan.question)
        measured = measures_asked(plan.question)
        if plan.answer_type is not None:
            candidate.states_value = states_answer_type(
                values,
                plan.answer_type,
                plan.counted,
                per_cent_scores=per_cent_scores,
                measured=measured,
            )
            candidate.intent_match = candidate.intent_match or candidate.states_value
        candidate.parts = frozenset(
            p
            for p in plan.answer_parts
            if answers_part(
                p,
                candidate,
                values,
                docs,
                plan.counted,
                per_cent_scores=per_cent_scores,
                measured=measured,
            )
        )
    if plan.deadline_since or plan.deadline_until:
        candidate.deadline_match = any(
            within(d, plan.deadline_since, plan.deadline_until) for d in candidate.deadlines
        )
    if wanted_docs:
        candidate.doc = bool(wanted_docs & {doc_number_key(number) for number, _s, _e in docs})
    if not weights:
        candidate.keyword = constraint_coverage(plan, candidate)


def _read_first(preranked: list[Candidate], config: ScoringConfig) -> list[Candidate]:
    """The sentences to embed, best pre-ranked first: the best `per_story_first` of every
    story, then the next best of any. Words are blind across languages, so a story told
    only in another language would otherwise lose every place to the question's language."""
    taken: dict[str, int] = {}
    first: list[Candidate] = []
    for candidate in preranked:
        group = candidate.evidence.group
        if taken.get(group, 0) < config.per_story_first:
            taken[group] = taken.get(group, 0) + 1
            first.append(candidate)
    chosen = {id(c) for c in first[: config.max_embedded]}
    for candidate in preranked:
        if len(chosen) >= config.max_embedded:
            break
        chosen.add(id(candidate))
    read = [c for c in preranked if id(c) in chosen]
    read_by_end = _by_end(read)
    going_on = [
        c
        for c in preranked
        if id(c) not in chosen
        and _CONTINUATION.match(c.text)
        and _lead_of(c, read_by_end) is not None
    ]
    return read + going_on[: config.max_continuations]


def _by_end(sentences: Sequence[Candidate]) -> dict[tuple[str, int], Candidate]:
    """The sentences by their article and end offset, to find the one before another."""
    return {(c.article.id, c.end): c for c in sentences}


def _lead_of(candidate: Candidate, by_end: dict[tuple[str, int], Candidate]) -> Candidate | None:
    """The sentence right before `candidate` in its article, among those `by_end` holds."""
    return next(
        (
            by_end[(candidate.article.id, end)]
            for end in range(candidate.start, candidate.start - _ADJACENT - 1, -1)
            if (candidate.article.id, end) in by_end
        ),
        None,
    )


def score_candidates(
    plan: QueryPlan,
    candidates: list[Candidate],
    embedder: Embedder,
    *,
    place_variants: Sequence[str] = (),
    config: ScoringConfig = SCORING,
    sentence_vectors: SentenceLookup | None = None,
    baseline: NullBaseline | None = None,
    gazetteer: Gazetteer,
) -> list[Candidate]:
    """Score every candidate; returns them best first (only the embedded ones are kept).

    `sentence_vectors` gives the index's stored sentence vectors; without it (or for a
    sentence it lacks) the embedder embeds the sentence. Without `baseline`, the null
    sentences are embedded for this call. `gazetteer` tells which places a sentence
    names."""
    if not candidates:
        return []
    stems = StemSets()
    weights = topic_weights(topic_tokens(plan, place_variants), candidates, stems)
    if plan.follow_up:
        # The follow-up itself says what is asked; the earlier turn's words set the scene.
        own = {stem(t) for t in content_tokens(plan.question)}
        for word in weights:
            if word not in own:
                weights[word] *= config.carried_word_weight
    wanted_docs = {doc_number_key(n) for n in plan.doc_numbers}
    n_passages = max(1, max(c.evidence.rank for c in candidates) + 1)

    versions = VersionSentences()
    for candidate in candidates:
        _read_constraints(plan, candidate, weights, wanted_docs, versions, stems, gazetteer)

    language = base_language(plan.language)

    def prerank(c: Candidate) -> float:
        # Words are blind across languages; the passage's dense rank is not.
        return (
            c.keyword
            + config.prerank_rank * (1 - c.evidence.rank / n_passages)
            + config.prerank_dense_prior * dense_prior(c, config)
            + config.prerank_deadline * c.deadline_match
            + config.prerank_value * (c.states_value and not words_comparable(language, c))
        )

    kept = _read_first(sorted(candidates, key=prerank, reverse=True), config)
    query_vector = np.asarray(embedder.embed_queries([plan.search_text]))[0]
    # One batch: the sentences, then the aligned sentences of their other versions.
    siblings = [c for c in kept if c.sibling][: config.max_embedded_siblings]
    texts = [c.text for c in kept] + [c.sibling or "" for c in siblings]
    vectors = passage_vectors(texts, embedder, sentence_vectors)
    dense = (baseline or NullBaseline()).calibrate(embedder, query_vector, vectors @ query_vector)
    through_sibling = dict(zip((id(c) for c in siblings), dense[len(kept) :], strict=True))

    unaccented = typed_without_diacritics(plan)
    for candidate, value in zip(kept, dense[: len(kept)], strict=True):
        candidate.dense = max(float(value), float(through_sibling.get(id(candidate), 0.0)))
        if candidate.keyword < 0:  # neither topic words nor constraints: meaning only
            candidate.keyword = candidate.dense
        elif not in_language(language, candidate):
            # Across languages, kindred ones too (Ukrainian "сіл", Russian "деревень"), a
            # word not found is no evidence against the sentence: meaning stands in.
            candidate.keyword = max(candidate.keyword, candidate.dense)
        elif unaccented:
            # Vietnamese typed without its diacritics reads as another language to the
            # embedder; its words, folded, match exactly: they stand in for meaning.
            candidate.dense = max(candidate.dense, candidate.keyword)
        if not words_comparable(language, candidate, through_sibling=False):
            candidate.passage_topic = None
        candidate.support = (
            config.support_dense * candidate.dense + (1 - config.support_dense) * candidate.keyword
        )
        passage = 1.0 - candidate.evidence.rank / n_passages
        place = candidate.place or (candidate.evidence.place_match and bool(plan.places))
        candidate.score = (
            config.dense * candidate.dense
            + config.keyword * candidate.keyword
            + config.passage * passage
            + config.place * place
            + config.deadline * candidate.deadline_match
            + config.doc * candidate.doc
            + config.cue * candidate.cue / 2 * (plan.intent == "commitments")
            + config.intent * candidate.intent_match
        )
        if candidate.passage_topic is not None and candidate.passage_topic < config.off_topic_share:
            # A passage in the question's language without its topic words is about
            # something else; the answer may be in a passage in another language.
            candidate.score -= config.off_topic_penalty
    _continuations_carry_their_lead(kept)
    kept.sort(key=lambda c: c.score, reverse=True)
    return kept


# A sentence going on from the one before it ("Trong đó, quý II ước tăng 10,9%", "Of which,
# the former Dak Nong area reached 64.9%", "Из них …", "其中…"): its subject is there.
_CONTINUATION = re.compile(
    r"^\W*(?:trong\s+đó|cụ\s+thể|riêng|ngoài\s+ra|of\s+(?:which|these|them)|in\s+particular"
    r"|among\s+them|specifically|в\s+том\s+числе|из\s+них|среди\s+них|в\s+частности"
    r"|зокрема|з\s+них|у\s+тому\s+числі|серед\s+них|dont|parmi\s+(?:eux|elles)|notamment"
    r"|separately|отдельно|только|окремо|лише|тільки|其中"
    # "However, …": the same subject, the other side of it.
    r"|however|tuy\s+nhiên|однако|тем\s+не\s+менее|проте|однак|cependant|toutefois|但是)(?!\w)",
    re.IGNORECASE,
)
# Characters between a sentence and the next in one passage (a space, a line break).
_ADJACENT = 3


def _continuations_carry_their_lead(kept: list[Candidate]) -> None:
    """A sentence going on from the one before it carries the question as far as that one
    does: its support is at least the other's. Its own words name only the part it adds."""
    by_end = _by_end(kept)
    for candidate in kept:
        if not _CONTINUATION.match(candidate.text):
            continue
        before = _lead_of(candidate, by_end)
        if before is not None:
            candidate.support = max(candidate.support, before.support)
            if not candidate.mentioned:
                # Its figures are of the period the one before names (years, quarters,
                # months; a day there is mostly when something was said).
                # They stand before all its words (offsets 0).
                candidate.lead_times = [
                    replace(d, start=0, end=0) for d in before.mentioned if d.precision != "day"
                ] or before.lead_times
