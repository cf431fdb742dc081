"""Text addressed to a language model rather than to readers ("ignore previous
instructions"). Crawled pages are data: such sentences are never quoted as evidence, so
they reach neither an answer nor a generative prompt.

The screen judges what a sentence does, not how it is spelled:

1. **One spelling.** `skeleton` folds every way of writing the same letters into one:
   NFKC (full-width, ligatures), format characters (Unicode category Cf: zero-width
   spaces and joiners, bidi controls, soft hyphens) and combining marks removed, case
   folded, and confusable letters mapped to the Latin letter they imitate (Unicode's
   confusables table, via `confusable_homoglyphs`; Cyrillic "о" is "o", Greek "ι" is
   "i", "1" and "l" are "i"). Letters spelled out one by one ("I g n o r e") are joined.
   The word lists below go through the same function, so they match whatever the
   spelling.
2. **What the sentence does.** Words are grouped by role, in each corpus language:
   setting something aside (OVERRIDE), what an assistant was told (INSTRUCTIONS, with
   the qualifiers that make a generic word like "rules" mean *your previous* rules),
   addressing an AI (ADDRESS), steering the output or the persona (DIRECTIVE), and
   markers that only prompts contain (STRONG: chat role tags, "system prompt"). A
   sentence is instruction-like when it combines roles the way an instruction does
   (set aside + instructions; address an AI + direct it; ...), anywhere in the sentence:
   a long gap between the words changes nothing.

A news sentence that merely mentions rules, AI or answers carries one role at most and
is quoted as usual.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from importlib import resources

# -- one spelling ---------------------------------------------------------------------------

# ASCII look-alikes the confusables table leaves apart; after it they are one letter.
_ASCII_LOOKALIKES = {"l": "i", "1": "i", "|": "i", "!": "i", "0": "o", "3": "e", "4": "a",
                     "@": "a", "5": "s", "$": "s", "7": "t", "8": "b", "9": "g", "đ": "d"}  # fmt: skip
# Look-alikes that confusables.txt lists only for capitals or not as single letters.
_EXTRA_LOOKALIKES = {"ε": "e", "є": "e", "χ": "x", "κ": "k", "τ": "t", "ν": "v", "η": "n",
                     "ł": "i", "ь": "b", "ш": "w", "п": "n", "и": "u", "я": "r"}  # fmt: skip
# Letters spelled out one by one with single separators ("I g n o r e", "i.g.n.o.r.e").
_SPELLED_OUT = re.compile(r"(?<![^\W_])(?:[^\W\d_][\s.\-_*·•'’,/]){2,}[^\W\d_](?![^\W_])")
_SEPARATORS = re.compile(r"[\s.\-_*·•'’,/]")
# A separator inside a word ("ig-nore", "previ.ous", "ign_ore") is dropped.
_INSIDE_WORD = re.compile(r"(?<=[^\W\d_])[-._·•*'’](?=[^\W\d_])")
# Clause punctuation stays as a "|" token: an AI is addressed when its name ends a clause.
_CLAUSE = re.compile(r"[:;,!?—–。，：；！？]|\s-+\s")
_TOKEN = re.compile(r"[^\W_]+|\|")


@functools.lru_cache(maxsize=1)
def _fold_table() -> dict[int, str | None]:
    """One str.translate table: format characters and combining marks removed, each
    confusable mapped to the ASCII letter or digit it imitates (Unicode confusables.txt),
    then ASCII look-alikes merged."""
    data = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    )
    direct: dict[str, str] = {}
    for char, homoglyphs in data.items():
        if len(char) != 1 or char.isascii():
            continue
        for glyph in homoglyphs:
            target = glyph["c"]
            if len(target) == 1 and target.isascii() and target.isalpha():
                direct[char] = _ASCII_LOOKALIKES.get(target.lower(), target.lower())
                break
    table: dict[int, str | None] = {ord(char): target for char, target in direct.items()}
    # Text is case-folded first: a capital look-alike (Cyrillic "Т" for "T") arrives as
    # its small letter ("т"), which must fold the same way when it has no entry itself.
    for char, target in direct.items():
        small = char.casefold()
        if len(small) == 1 and not small.isascii():
            table.setdefault(ord(small), target)
    for char, target in {**_EXTRA_LOOKALIKES, **_ASCII_LOOKALIKES}.items():
        table[ord(char)] = target
    for code in range(0x30000):  # the planes that have letters, marks and format characters
        char = chr(code)
        if unicodedata.category(char) == "Cf" or unicodedata.combining(char):
            table[code] = None
    return table


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def skeleton(text: str) -> str:
    """`text` in one spelling for matching: see the module docstring (step 1)."""
    table = _fold_table()
    # Look-alikes first (NFKC turns some into other letters: lunate sigma "ϲ" becomes "σ"),
    # then the compatibility forms (full-width, ligatures), then look-alikes again.
    text = unicodedata.normalize("NFKC", text.translate(table)).casefold()
    folded = unicodedata.normalize("NFD", text).translate(table)
    joined = _SPELLED_OUT.sub(lambda m: _SEPARATORS.sub("", m.group(0)), folded)
    joined = _CLAUSE.sub(" | ", _INSIDE_WORD.sub("", joined))
    return " ".join(_TOKEN.findall(joined))


# -- what the sentence does -----------------------------------------------------------------

# A trailing "*" makes the last word a prefix ("ignor*": ignore, ignoring, ignored).
OVERRIDE = (
    # en
    "ignor*", "disregard*", "forget*", "forgot*", "overrid*", "overrule*", "bypass*",
    "skip*", "discard*", "abandon*", "dismiss*", "set aside", "put aside", "push aside",
    "pay no attention", "do not follow", "don t follow", "dont follow", "stop following",
    "no longer follow", "throw out", "scrap*", "erase*", "wipe*", "supersed*",
    "nullif*", "void*", "drop all", "drop your", "drop the",
    # vi
    "bo qua", "phot lo", "lo di", "quen di", "quen het", "quen tat ca", "khong tuan theo",
    "khong lam theo", "dung lam theo", "dung tuan theo", "bo het", "xoa bo", "huy bo",
    "gat bo", "bat chap",
    # ru
    "игнор*", "проигнор*", "забуд*", "забыть", "не обращай*", "отброс*", "отбрось",
    "не следуй*", "отмени*", "пренебре*",
    # uk
    "ігнор*", "проігнор*", "забуд*", "не звертай*", "відкин*", "не дотримуй*", "скасуй*",
    # zh
    "忽略", "无视", "忘记", "忘掉", "忽视", "不要理会", "不理会", "跳过", "抛开", "放弃",
)  # fmt: skip

# Words that are instructions only when qualified ("your previous rules"); the ones in
# INSTRUCTION_WORDS need no qualifier.
GENERIC_WORDS = (
    "rule*", "guideline*", "guidance", "prompt*", "order*", "command*", "directive*",
    "context", "constraint*", "restriction*", "programming", "training", "setting*",
    "message*", "text", "everything", "anything", "all that", "what you were told",
    "quy tac", "chi thi", "lenh", "yeu cau", "cai dat", "noi dung", "huong dan", "chi dan",
    "правил*", "команд*", "указани*", "ограничени*", "настройк*", "промпт*", "всё", "все что",
    "правил*", "команд*", "вказівк*", "обмежен*", "налаштуван*", "промпт*", "все що",
    "规则", "命令", "设定", "限制", "提示", "内容",
)  # fmt: skip
INSTRUCTION_WORDS = (
    "instruction*", "system message*", "system instruction*",
    "инструкци*", "інструкці*", "指令", "指示", "提示词",
)  # fmt: skip
QUALIFIERS_BEFORE = (
    "previous", "prior", "preceding", "earlier", "above", "original", "initial", "all",
    "any", "every", "your", "system", "existing", "old", "hidden", "developer", "these",
    "those", "the above", "new", "updated", "revised", "real",
    "truoc", "truoc do", "tren", "tat ca", "cu", "ban dau", "moi",
    "предыдущ*", "прежн*", "вышеуказ*", "все", "всех", "ваш*", "свои", "изначальн*",
    "системн*", "нов*", "попередн*", "усі", "всі", "свої", "початков*", "нові",
    "之前", "以上", "所有", "先前", "原来", "上述", "你的", "新的", "新",
)  # fmt: skip
QUALIFIERS_AFTER = (
    "above", "before", "earlier", "so far", "until now", "you were given", "you received",
    "you have been given", "you were told", "of the system", "of your developer",
    "tren", "truoc do", "o tren", "da nhan",
    "выше", "ранее", "до этого", "вище", "раніше", "до цього",
    "之前", "以上",
)  # fmt: skip
ADDRESSEES = (
    "ai", "a i", "assistant*", "chatbot*", "chat bot*", "bot", "llm*", "language model*",
    "model", "gpt*", "chatgpt", "claude", "gemini", "copilot", "ai model*", "ai system*",
    "virtual assistant*", "agent",
    "tro ly ao", "tri tue nhan tao", "mo hinh ngon ngu", "mo hinh",
    "ии", "нейросет*", "ассистент*", "языков* модел*", "модель", "бот",
    "ші", "нейромереж*", "асистент*", "мовн* модел*",
    "人工智能", "助手", "模型", "机器人",
)  # fmt: skip
ADDRESSING = (
    "for", "to", "dear", "hey", "hi", "hello", "attention", "note to", "message to",
    "memo to", "instructions for", "as an", "as a", "you are an", "you are a", "you re an",
    "you are the", "gui", "danh cho", "cho", "thua", "ban la",
    "для", "к", "дорогой", "внимание", "ты", "вы", "як", "до", "шановний", "увага",
    "给", "致", "你是",
)  # fmt: skip
DIRECTIVES = (
    "from now on",
    "respond only", "reply only", "answer only", "only respond", "only answer",
    "only reply", "only say", "always answer", "always respond", "always reply",
    "always say", "respond with", "reply with", "answer with", "answer that", "say that",
    "say only", "tell the user*", "tell users", "tell the reader*", "tell readers",
    "output", "print", "reveal*", "repeat after me", "you must", "you will now",
    "you should now", "you have to", "do not mention", "never mention", "do not reveal",
    "pretend*", "act as", "roleplay", "role play", "you are now", "you are no longer",
    "your new", "your real", "new persona", "developer mode", "must answer", "must say",
    "must respond", "must reply",
    "tu bay gio", "tu nay tro di", "hay tra loi", "chi tra loi", "luon tra loi", "hay noi",
    "dong vai", "ban phai",
    "с этого момента", "отныне", "отвечай*", "ответь", "говори", "скажи", "притворись",
    "ты теперь", "вы теперь", "ты должен", "вы должны",
    "відтепер", "з цього моменту", "відповідай*", "скажи", "удавай*", "ти тепер",
    "ти маєш", "ти повинен",
    "从现在开始", "从现在起", "只回答", "扮演", "你现在是", "你必须",
)  # fmt: skip
STRONG = (
    "system prompt*", "im start", "im end", "inst", "jailbreak*", "developer mode",
    "do anything now", "ignore previous", "ignore all previous",
    "системн* промпт*", "системн* подсказк*", "системн* інструкці*", "系统提示",
)  # fmt: skip
_CHAT_MARKUP = re.compile(r"<\|[^|>]{1,40}\|>|\[/?INST\]|^#{2,}\s*(?:system|instruction)", re.I)
# A clause that opens with a chat role ("System: ...", "Assistant: ...").
ROLE_TAGS = ("system", "assistant", "developer", "системa", "система", "системне", "系统")
# "You are an AI ...": a persona given to the reader, named with a word only AI has.
PERSONA_OPENERS = ("you are", "you re", "you will be", "you are now", "ban la", "ты", "вы",
                   "ти", "你是", "你现在是")  # fmt: skip
PERSONA_NAMES = (
    "ai", "assistant*", "chatbot*", "llm*", "language model*", "gpt*", "chatgpt",
    "unfiltered", "uncensored", "unrestricted", "jailbroken", "tro ly ao", "ии", "ші",
    "ассистент*", "асистент*", "人工智能", "助手",
)  # fmt: skip


Entry = tuple[str, ...]  # skeleton tokens; one ending in "*" is a prefix


class _Lexicon:
    """Every word list in skeleton form, indexed by first token, matched in one pass."""

    def __init__(self, lists: dict[str, tuple[str, ...]]) -> None:
        self.exact: dict[str, list[tuple[str, Entry]]] = {}
        self.prefix: dict[str, list[tuple[str, Entry]]] = {}
        self.cjk: dict[str, list[str]] = {name: [] for name in lists}
        self.squeezed: dict[str, list[str]] = {}
        for name, entries in lists.items():
            squeezed = set()
            for entry in entries:
                if any(_is_cjk(ch) for ch in entry):
                    word = skeleton(entry).replace(" ", "")
                    self.cjk[name].append(word)
                    squeezed.add(word)
                    continue
                tokens = tuple(
                    skeleton(part.rstrip("*")) + ("*" if part.endswith("*") else "")
                    for part in entry.split()
                )
                squeezed.add("".join(t.rstrip("*") for t in tokens))
                first = tokens[0]
                if first.endswith("*"):
                    self.prefix.setdefault(first[:-1], []).append((name, tokens))
                else:
                    self.exact.setdefault(first, []).append((name, tokens))
            self.squeezed[name] = sorted(squeezed - {""}, key=len, reverse=True)
        self.prefix_lengths = sorted({len(stem) for stem in self.prefix})

    def spans(self, tokens: list[str]) -> dict[str, list[tuple[int, int]]]:
        """Per list, the (start, end) token positions where one of its entries matches."""
        found: dict[str, list[tuple[int, int]]] = {name: [] for name in self.cjk}
        for i, token in enumerate(tokens):
            candidates = list(self.exact.get(token, ()))
            for length in self.prefix_lengths:
                if length > len(token):
                    break
                candidates.extend(self.prefix.get(token[:length], ()))
            for name, entry in candidates:
                end = i + len(entry)
                if end <= len(tokens) and all(
                    tokens[i + j].startswith(part[:-1]) if part.endswith("*") else
                    tokens[i + j] == part
                    for j, part in enumerate(entry)
                ):  # fmt: skip
                    found[name].append((i, end))
        return found

    def in_cjk(self, text: str) -> dict[str, list[int]]:
        return {
            name: [text.find(w) for w in words if w in text] for name, words in self.cjk.items()
        }


@functools.lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    return _Lexicon(
        {
            "override": OVERRIDE,
            "generic": GENERIC_WORDS,
            "specific": INSTRUCTION_WORDS,
            "before": QUALIFIERS_BEFORE,
            "after": QUALIFIERS_AFTER,
            "addressee": ADDRESSEES,
            "addressing": ADDRESSING,
            "directive": DIRECTIVES,
            "strong": STRONG,
            "role_tag": ROLE_TAGS,
            "persona_opener": PERSONA_OPENERS,
            "persona_name": PERSONA_NAMES,
        }
    )


_GAP = 4  # a qualifier and its noun may have up to three words between them
_DETERMINERS = frozenset(
    skeleton(w) for w in ("the", "this", "any", "all", "my", "our", "an", "a", "dear")
)


def _near(firsts: list[tuple[int, int]], seconds: list[tuple[int, int]]) -> bool:
    return any(0 <= s2 - e1 < _GAP for _s1, e1 in firsts for s2, _e2 in seconds)


def _cjk_near(firsts: list[int], seconds: list[int]) -> bool:
    return any(0 <= b - a <= 8 for a in firsts for b in seconds)


def _roles(view: str) -> set[str]:
    lexicon = _lexicon()
    tokens = view.split()
    cjk = "".join(ch for ch in view if _is_cjk(ch))
    spans = lexicon.spans(tokens)
    hits = lexicon.in_cjk(cjk) if cjk else {name: [] for name in spans}
    roles = {role for role in ("override", "directive", "strong") if spans[role] or hits[role]}
    if (
        spans["specific"]
        or hits["specific"]
        or _near(spans["before"], spans["generic"])
        or _near(spans["generic"], spans["after"])
        or _cjk_near(hits["before"], hits["generic"])
        or _cjk_near(hits["generic"], hits["after"])
    ):
        roles.add("instructions")
    # An AI named at the start of a clause, or after "to"/"dear"/"for the", and ending
    # the clause: "Assistant, ...", "New rules for the assistant: ...".
    ends_clause = [(s, e) for s, e in spans["addressee"] if e == len(tokens) or tokens[e] == "|"]
    if any(s == 0 or tokens[s - 1] == "|" for s, _e in ends_clause) or any(
        end == start or (end + 1 == start and tokens[end] in _DETERMINERS)
        for _s, end in spans["addressing"]
        for start, _e in ends_clause
    ):
        roles.add("address")
    if hits["addressee"] and (hits["addressing"] or 0 in hits["addressee"]):
        roles.add("address")
    if spans["addressee"] or hits["addressee"]:
        roles.add("mention")
    clause_starts = {0} | {i + 1 for i, token in enumerate(tokens) if token == "|"}
    if any(
        s in clause_starts and e < len(tokens) and tokens[e] == "|" for s, e in spans["role_tag"]
    ):
        roles.add("strong")
    if any(
        0 <= start - end <= 3
        for _s, end in spans["persona_opener"]
        for start, _e in spans["persona_name"]
    ) or _cjk_near(hits["persona_opener"], hits["persona_name"]):
        roles.add("strong")
    if _squeezed_pattern().search(view.replace(" ", "").replace("|", "")):
        roles |= {"override", "instructions"}
    return roles


@functools.lru_cache(maxsize=1)
def _squeezed_pattern() -> re.Pattern[str]:
    """Set aside + (qualified) instructions with every space and separator removed, for
    words cut apart ("ig-nore", "I g n o r e   a l l"): only the tight combination, as
    words run together can form anything."""
    squeezed = _lexicon().squeezed

    def alternatives(name: str) -> str:
        return "(?:" + "|".join(re.escape(w) for w in squeezed[name]) + ")"

    override, qualifier = alternatives("override"), alternatives("before")
    specific, generic = alternatives("specific"), alternatives("generic")
    return re.compile(
        rf"{override}.{{0,12}}?(?:{specific}|{qualifier}.{{0,12}}?(?:{generic}|{specific}))"
    )


# How roles combine into an instruction (any one combination is enough).
_INSTRUCTION_SHAPES = (
    {"strong"},
    {"override", "instructions"},
    {"override", "directive"},
    {"address", "directive"},
    {"address", "instructions"},
    {"address", "override"},
    {"directive", "instructions"},
    {"mention", "directive"},
)


def instruction_roles(sentence: str) -> set[str]:
    """The roles found in the sentence (for logs and tests)."""
    roles = _roles(skeleton(sentence))
    if _CHAT_MARKUP.search(unicodedata.normalize("NFKC", sentence)):
        roles.add("strong")
    return roles


@functools.lru_cache(maxsize=16384)
def looks_like_injection(sentence: str) -> bool:
    """Whether the sentence addresses a language model (see the module docstring).

    Worked out once per sentence text and process: the same sentences are screened again
    for every question that retrieves them."""
    roles = instruction_roles(sentence)
    return any(shape <= roles for shape in _INSTRUCTION_SHAPES)
