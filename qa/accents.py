"""Vietnamese typed without diacritics, written with them again for the embedder.

"lai chau muc tieu bao nhieu phan tram nguoi truong thanh co ky nang so" reads as another
language to a multilingual embedder: its similarity to the sentence that answers it, in
Vietnamese or in a translation, falls under the support floor. Keyword matching folds
diacritics and needs no help; meaning does.

`restore_accents` gives each plain word the accented form the Vietnamese passages
retrieved for the question most often write it with, between the same neighbours when
they write those ("so" is "số" before "hoá", "sở" before "khoa"), else anywhere. The
passages found by the question's folded words are about its topic, so they spell its
words; a word they never write is left as typed. Folded, the text is unchanged: only
what the embedder reads differs.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from facts.folding import fold_latin_diacritics

_WORD = re.compile(r"[^\W\d_]+")
# Letters only Vietnamese writes among the sources' languages: a passage with few words
# carrying them is a translation naming Vietnamese places, not Vietnamese text.
_VIETNAMESE_LETTER = re.compile(
    r"[ăâđêôơưàảãạằẳẵặầẩẫậèẻẽẹềểễệìỉĩịòỏõọồổỗộờởỡợùủũụừửữựỳỷỹỵ]", re.IGNORECASE
)
MIN_VIETNAMESE_SHARE = 0.3
# How questions ask, and the commonest words of the sources' questions, which the
# passages found may happen not to write: learned as one more passage.
COMMON_WORDS = (
    "bao nhiêu, mấy, những gì, cái gì, là gì, nào, ai, ở đâu, khi nào, bao giờ, thế nào, "
    "như thế nào, tại sao, vì sao, có không, được không, chưa, hiện nay, bây giờ, của, vào, "
    "và, với, trong, cho, các, được, đã, sẽ, đến, từ, năm, tháng, quý, tỉnh, xã, phường, "
    "phần trăm, tỷ đồng, sau sáp nhập, trước sáp nhập"
)


def _fold(word: str) -> str:
    return fold_latin_diacritics(word).lower()


def is_vietnamese(text: str) -> bool:
    """Whether enough of the text's words carry Vietnamese letters to be Vietnamese."""
    words = _WORD.findall(text)
    if not words:
        return False
    marked = sum(1 for word in words if _VIETNAMESE_LETTER.search(word))
    return marked / len(words) >= MIN_VIETNAMESE_SHARE


@dataclass
class _Spellings:
    """How the passages write each folded word: anywhere, after a word, before a word."""

    alone: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    after: dict[tuple[str, str], Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    before: dict[tuple[str, str], Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )

    def learn(self, text: str) -> None:
        words = [word.lower() for word in _WORD.findall(text)]
        folded = [_fold(word) for word in words]
        for i, (word, plain) in enumerate(zip(words, folded, strict=True)):
            self.alone[plain][word] += 1
            if i > 0:
                self.after[(folded[i - 1], plain)][word] += 1
            if i + 1 < len(words):
                self.before[(plain, folded[i + 1])][word] += 1

    def best(self, plain: str, previous: str | None, following: str | None) -> str | None:
        seen = self.alone.get(plain)
        if not seen:
            return None
        after = self.after.get((previous, plain), Counter()) if previous else Counter()
        before = self.before.get((plain, following), Counter()) if following else Counter()

        return max(seen, key=lambda spelling: (after[spelling] + before[spelling], seen[spelling]))


def restore_accents(text: str, passages: Iterable[str]) -> str:
    """`text` with each word typed without diacritics written as the Vietnamese
    `passages` write it (see the module's notes); other words, and words the passages do
    not write, as typed."""
    spellings = _Spellings()
    spellings.learn(COMMON_WORDS)
    for passage in passages:
        if is_vietnamese(passage):
            spellings.learn(passage)
    matches = list(_WORD.finditer(text))
    folded = [_fold(match.group(0)) for match in matches]
    pieces: list[str] = []
    last = 0
    for i, match in enumerate(matches):
        typed = match.group(0)
        spelled = typed
        if typed.isascii():
            previous = folded[i - 1] if i > 0 else None
            following = folded[i + 1] if i + 1 < len(matches) else None
            best = spellings.best(folded[i], previous, following)
            if best is not None and best != typed.lower():
                spelled = best[0].upper() + best[1:] if typed[0].isupper() else best
        pieces.append(text[last : match.start()])
        pieces.append(spelled)
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)
