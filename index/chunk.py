"""Sentence-aware chunks of an article's stored text, with exact offsets.

`chunk(article)` packs whole sentences (from `index.sentences.split_sentences`) into
chunks of about `target_chars` characters, never more than `max_chars`, and starts each
chunk with the last `overlap_sentences` sentences of the one before, so a statement that
straddles a boundary is whole in at least one chunk. A sentence is split only when it
alone is longer than `max_chars`: at the last clause mark (`;`, `:`, `,`, a dash) in the
window, else at the last space, else hard at `max_chars`.

Every chunk satisfies `chunk.text == article.text[chunk.start:chunk.end]`; the chunks
are in text order and together cover every sentence of the text. `context` (title, site,
publication date, province) is what the embedder sees before the text; it is not covered
by the offsets. `dates` and `doc_numbers` are the mentions inside the chunk's span, with
offsets into the article text. Sizes are parameters so an embedder profile can choose
them; the default 700 characters (a few hundred tokens with the context) stays well inside
multilingual-e5-small's 512-token window and EmbeddingGemma's 2048.
"""

from __future__ import annotations

import logging
import re
from datetime import date

from crawler.models import Article
from facts.doc_numbers import find_doc_numbers
from index.mentions import find_dates, vietnam_day
from index.models import DEFAULT_MAX_CHARS, DEFAULT_TARGET_CHARS, Chunk, MentionedDate
from index.sentences import split_sentences

logger = logging.getLogger(__name__)

Span = tuple[int, int]

# The version of what a chunk records of its text (dates, document numbers, sentence
# bounds). Raised whenever that reading changes, so that the next build reads every
# article again instead of keeping the chunks of unchanged ones; vectors are reused by
# text, so nothing is embedded again. 2: a year after "số" meaning "digital" ("kinh tế
# số năm 2024"). 3: a quarter, month or day without a year takes the year its sentence
# named before it. 4: a half or the first months of a year ("9 tháng đầu năm 2025", "in
# 5 months") begin and end with that part, with or without its year. 5: the words of such
# a part are its date's ("9" of "9 tháng năm 2025" is no figure), and a span from January
# may end in a qualified month ("to mid-August 2025"). 6: "the first 6 months" is a part
# of a year without a preposition before it ("the level of the first 6 months"), and a
# year before "tỷ lệ" (a rate) is a year ("năm 2025 tỷ lệ ... đạt 90%"), and a school
# year is one period from September to August ("năm học 2024-2025"); French and Chinese
# quarters ("troisième trimestre", "第三季度") and Chinese halves and first months
# ("2025年上半年", "前9个月") are read.
READING_VERSION = 6

# Clause marks: Latin ones before a space, CJK ones anywhere, a dash between spaces.
_CLAUSE_BREAK = re.compile(r"[;:,]\s|[，；：、]|\s[–—-]\s")


def chunk(
    article: Article,
    *,
    target_chars: int = DEFAULT_TARGET_CHARS,
    max_chars: int = DEFAULT_MAX_CHARS,
    overlap_sentences: int = 1,
) -> list[Chunk]:
    """Chunks of `article.text` (see the module docstring). `article.id` must be set."""
    if not article.id:
        raise ValueError(
            f"article {article.url} has no id; give it one (Article.with_identity()) "
            "before chunking"
        )
    if not 0 < target_chars <= max_chars:
        raise ValueError(
            f"chunk sizes need 0 < target_chars <= max_chars, got {target_chars} and {max_chars}"
        )
    if overlap_sentences < 0:
        raise ValueError(f"overlap_sentences must be 0 or more, got {overlap_sentences}")

    text = article.text
    units = [
        piece
        for start, end in split_sentences(text, article.lang)
        for piece in _split_long(text, start, end, max_chars)
    ]
    if not units:
        return []

    reference = publication_day(article)
    doc_numbers = find_doc_numbers(text)
    dates = find_dates(text, article.lang, reference=reference, doc_numbers=doc_numbers)
    context = chunk_context(article)

    chunks: list[Chunk] = []
    for first, last in _pack(units, target_chars, max_chars, overlap_sentences):
        start, end = units[first][0], units[last][1]
        chunks.append(
            Chunk(
                article_id=article.id,
                ordinal=len(chunks),
                start=start,
                end=end,
                text=text[start:end],
                context=context,
                dates=_inside(dates, start, end),
                doc_numbers=_numbers_inside(doc_numbers, start, end),
            )
        )
    logger.debug("article %s: %d sentences in %d chunks", article.id, len(units), len(chunks))
    return chunks


def publication_day(article: Article) -> date | None:
    """The publication date in Vietnam time: the year source for dates written without
    one, and the day that publication-date filters compare."""
    return vietnam_day(article.published)


def chunk_context(article: Article) -> str:
    """Title, then site, publication date and province: what an embedder reads first."""
    day = publication_day(article)
    details = [
        part for part in (article.site, day.isoformat() if day else None, article.province) if part
    ]
    return "\n".join([article.title, " · ".join(details)]) if details else article.title


def _pack(
    units: list[Span], target_chars: int, max_chars: int, overlap: int
) -> list[tuple[int, int]]:
    """Index ranges (first, last), inclusive, of units packed into chunks."""
    ranges: list[tuple[int, int]] = []
    first = 0
    while first < len(units):
        last = first
        while last + 1 < len(units):
            size = units[last + 1][1] - units[first][0]
            current = units[last][1] - units[first][0]
            # Grow to the target; a chunk still under half the target may grow up to the
            # maximum rather than stay a fragment.
            if size <= target_chars or (current < target_chars // 2 and size <= max_chars):
                last += 1
            else:
                break
        ranges.append((first, last))
        if last + 1 >= len(units):
            break
        first = max(first + 1, last + 1 - overlap)
    return ranges


def _split_long(text: str, start: int, end: int, max_chars: int) -> list[Span]:
    """A sentence as one span, or cut into spans of at most `max_chars` when longer."""
    pieces: list[Span] = []
    while end - start > max_chars:
        cut = _cut_point(text, start, start + max_chars)
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        pieces.append((start, piece_end))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where to cut text[start:limit]: after the last clause mark in its second half, else
    at the last space, else at `limit`."""
    window = text[start:limit]
    half = len(window) // 2
    clause_ends = [m.start() + 1 for m in _CLAUSE_BREAK.finditer(window) if m.start() >= half]
    if clause_ends:
        return start + clause_ends[-1]
    space = window.rfind(" ", half)
    if space > 0:
        return start + space
    return limit


def _inside(dates: list[MentionedDate], start: int, end: int) -> tuple[MentionedDate, ...]:
    return tuple(d for d in dates if start <= d.start and d.end <= end)


def _numbers_inside(numbers: list[tuple[str, int, int]], start: int, end: int) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for number, number_start, number_end in numbers:
        if start <= number_start and number_end <= end:
            seen.setdefault(number, None)
    return tuple(seen)
