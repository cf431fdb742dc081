"""Stage 1 of an extractive answer: the sentences of the evidence, each a `Candidate`.

Sentences are split with their offsets into the article's stored text, so every quote is
`article.text[start:end]` exactly. Captions, link lines and instruction-like text are
never candidates. Later stages fill in the scores (`qa.scoring`), pick or refuse
(`qa.decide`) and write the answer (`qa.compose`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from index.models import IndexedArticle, MentionedDate
from index.sentences import split_sentences
from qa.injection import looks_like_injection
from qa.retrieve import Evidence

logger = logging.getLogger(__name__)


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
    cue: int = 0  # qa.lexicon.commitment_strength()
    intent_match: bool = False
    deadlines: list[date] = field(default_factory=list)
    # Dates the sentence itself names (a year, a quarter, a day...), offsets in the sentence.
    mentioned: list[MentionedDate] = field(default_factory=list)
    # For a sentence going on from the one before it and naming no time of its own ("Of
    # which, the first pillar ranked 37"), the times that one names: its figures' too.
    lead_times: list[MentionedDate] = field(default_factory=list)
    # The sentence states a value of the kind the question asks for (qa.answer_type).
    states_value: bool = False
    # The parts of the question (plan.answer_parts) the sentence answers.
    parts: frozenset[str] = frozenset()
    # The same sentence in another version of the story (for a candidate written in another
    # language than the question's), and that version's language.
    sibling: str | None = None
    sibling_lang: str | None = None
    # Weighted share of the question's topic words in the passage and its title (None when
    # the question has none, or when its words cannot be compared with the passage's).
    passage_topic: float | None = None
    # How much the sentence itself carries the question (meaning and topic words, 0..1;
    # no constraint boosts), set by `qa.scoring`.
    support: float = 0.0
    score: float = 0.0

    @property
    def article(self) -> IndexedArticle:
        return self.evidence.article


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


def is_caption_or_noise(sentence: str) -> bool:
    stripped = sentence.strip()
    if len(stripped) < 20 or not re.search(r"\w{2,}", stripped):
        return True
    # "Source: https://..." lines and sentences that are mostly a link.
    if _SOURCE_LINE.match(stripped) or sum(map(len, _URL.findall(stripped))) > len(stripped) / 2:
        return True
    # Photo captions and table cells in the extracted text ("| The meeting |").
    return stripped.startswith("|") and stripped.endswith("|")


def quotable(sentence: str) -> bool:
    """Whether a sentence may be quoted: not noise, not addressed to a language model."""
    return not is_caption_or_noise(sentence) and not looks_like_injection(sentence)


def gather_candidates(evidence: Sequence[Evidence]) -> list[Candidate]:
    candidates: list[Candidate] = []
    seen: set[tuple[str, int, int]] = set()
    for item in evidence:
        for start, end in sentence_spans(item):
            key = (item.article.id, start, end)
            sentence = item.article.text[start:end]
            if key in seen or is_caption_or_noise(sentence):
                continue
            if looks_like_injection(sentence):
                logger.warning(
                    "not quoting instruction-like text in %s: %r", item.article.url, sentence[:120]
                )
                continue
            seen.add(key)
            candidates.append(Candidate(item, start, end, sentence, order=len(candidates)))
    return candidates
