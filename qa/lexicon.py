"""Word lists per language, and the small text helpers that read them.

Everything that Q&A recognises by wording lives here, so that a language is added in one
place: stop words, the words that only frame a question, commitment wording, people's
titles, ordinal words of meetings, and the unrelated sentences that calibrate similarity.
Calendar words (months) are shared with the index in `index.lexicon`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from facts.folding import fold_for_matching as fold
from qa.temporal import NOW

# An apostrophe belongs inside a word only in Cyrillic spelling (Ukrainian "зобов'язався");
# an English or French one separates words, as in the keyword index: "Dak Nong's" is the
# place "Dak Nong", "l'économie" is "économie".
_WORD = re.compile(r"\w+(?:['’ʼ](?=[\u0400-\u04ff])\w+)*")


def word_tokens(text: str) -> list[str]:
    """Folded words; an apostrophe joins Cyrillic letters only."""
    return _WORD.findall(fold(text))


def within_one_edit(a: str, b: str) -> bool:
    """True when `a` becomes `b` by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        # Adjacent transposition ("Lamdnog").
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    return a[i:] == b[i + 1 :]


# Unrelated sentences in the corpus' languages: how similar the embedder finds any two
# texts, the floor under its similarity scale (see `qa.scoring.NullBaseline`).
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
each every per respectively
province provinces provincial year years new do does make made
va cua la cac nhung gi nao ai khi o tai trong cho voi ve theo den tu da se duoc co khong nay do
mot nhu the hay hoac bao nhieu sao vay tinh thanh pho nam thang ngay
и в во на с со к ко по о об от до из за для что кто как когда где какие какой каких ли же не
ни а но или это этот эта эти тот та те был была были будет есть его ее их он она они мы вы
сколько какая какое каким каком чем чего какова каков каковы провинция провинции провинций
год года году году сделать новой новая новых каждый каждая каждое каждого каждой там тут
здесь
і й в у на з зі до від за для що хто як коли де які який яких чи не ні але або це цей ця ці той
був була були буде є його її їх він вона вони ми ви скільки яка яке яким чого провінція
провінції провінцій рік року році зробити нової нова нових кожен кожна кожне кожного
le la les de des du un une et ou est sont que qui quoi quand ou comment a au aux en dans pour par
chaque
moi lam
"""
_QUESTION_ONLY_RAW = """
commit committed commitments pledge pledged promise promised
cam ket hua
обязалась обязался обязательства пообещала
зобов'язалася зобов'язання пообіцяла
"""


# What a commitments question asks besides the pledge itself ("commit to finish what",
# "cam kết hoàn thành gì"): the intent, not the topic.
_COMMITMENT_FRAMING_RAW = """
finish complete achieve accomplish deliver done must required expected due everything
hoàn thành thực hiện đạt làm xong phải cần
сделать выполнить завершить достичь выполнит завершит должна должен должны обязана обязан
нужно необходимо всё все
зробити виконати завершити досягти виконає завершить має мають мусить повинна повинен
повинні треба потрібно все усе
"""

# Words that only hand a follow-up back to the earlier turn ("what about", "còn ... thì
# sao", "а как насчёт", "а як щодо"): with a place or a period alone, it asks again what
# that turn asked.
_FOLLOW_UP_FRAMING_RAW = """
about one ones same also too then else
con thi sao the vay
насчет насчёт также тоже
щодо також теж
"""

STOPWORDS = frozenset(word_tokens(_STOPWORDS_RAW))
FOLLOW_UP_FRAMING = frozenset(word_tokens(_FOLLOW_UP_FRAMING_RAW))
COMMITMENT_FRAMING = frozenset(word_tokens(_COMMITMENT_FRAMING_RAW))
QUESTION_ONLY = frozenset(word_tokens(_QUESTION_ONLY_RAW))

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


# The per-text readings below are pure functions of the text, and the same sentences and
# passages come back question after question: each is worked out once per process.
TEXT_CACHE_SIZE = 16384


# `commitment_strength` of a pledge or target, and of a task assigned or to be done.
PLEDGE = 2
TASK = 1


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def commitment_strength(sentence: str) -> int:
    """PLEDGE for a pledge or target, TASK for a task assigned or to be done, 0 otherwise."""
    folded = fold(sentence)
    if STRONG_CUES.search(folded):
        return PLEDGE
    return TASK if DIRECTIVE_CUES.search(folded) else 0


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
    word_tokens(
        """provincial people's peoples committee council party department province steering
        central politburo standing city ubnd tỉnh ủy ban chỉ đạo hđnd hội đồng nhân dân sở
        thành phố trung ương комитет комитета провинции провинциального народного партии
        центрального совета комітету провінції провінційного партії центрального ради"""
    )
)
# The longest run of capitalised words kept as a name (Vietnamese names have 2 to 4).
_MAX_NAME_WORDS = 4


_HAN = re.compile(r"[\u4e00-\u9fff]")


def content_tokens(text: str) -> list[str]:
    """Folded content words; CJK text as character bigrams."""
    return list(_content_tokens(text))


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _content_tokens(text: str) -> tuple[str, ...]:
    tokens: list[str] = []
    for token in word_tokens(text):
        if token in STOPWORDS or token.isdigit() and len(token) < 3:
            continue
        if _HAN.search(token):
            tokens.extend(token[i : i + 2] for i in range(max(1, len(token) - 1)))
        elif len(token) > 1:
            tokens.append(token)
    return tuple(tokens)


def stem(token: str) -> str:
    """Crude but language-neutral: inflected endings of ru/uk/en/fr words mostly fall
    after the fifth letter."""
    return token[:5] if len(token) > 5 else token


# The roles a "who" question may ask for ("which police official", "who heads"), in the
# languages of the sources.
_ROLES = {
    "police": re.compile(r"\bpolice\b|công\s+an|(?<!\w)полиц|(?<!\w)поліц", re.IGNORECASE),
    "chair": re.compile(
        r"\bchair|chủ\s+trì|chủ\s+tịch|(?<!\w)председател|(?<!\w)головув|\bprésid", re.IGNORECASE
    ),
    "secretary": re.compile(r"\bsecretary\b|bí\s+thư|(?<!\w)секретар", re.IGNORECASE),
    "director": re.compile(r"\bdirector\b|giám\s+đốc|(?<!\w)директор", re.IGNORECASE),
    "head": re.compile(
        r"\bheads?\b|trưởng\s+ban|(?<!\w)руководител|(?<!\w)керівник|(?<!\w)очолю", re.IGNORECASE
    ),
}


# Money paid out, as opposed to money allocated or planned: "disbursed", "giải ngân".
_DISBURSED = re.compile(
    r"\bdisburs|giải\s+ngân|giai\s+ngan|(?<!\w)освоен|(?<!\w)освоєн|(?<!\w)освоїл|(?<!\w)освоил"
    r"|(?<!\w)выплач|(?<!\w)виплач|décaiss|decaiss|(?<!\w)spent\b",
    re.IGNORECASE,
)


def speaks_of_disbursement(text: str) -> bool:
    """Whether the text speaks of money paid out (disbursed, spent), not allocated."""
    return bool(_DISBURSED.search(text))


def roles_named(text: str) -> frozenset[str]:
    """The roles of people a text names (police, chair, party secretary, director, head)."""
    return frozenset(role for role, pattern in _ROLES.items() if pattern.search(text))


@lru_cache(maxsize=TEXT_CACHE_SIZE)
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


# Ordinal words of numbered meetings ("the second meeting"), folded stems per language.
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


_ORDINAL_WORD = re.compile(
    r"(?<!\w)(first|second|third|fourth|fifth)(?!\w)"
    r"|(?<!\w)(thu\s+(?:nhat|hai|ba|tu|nam))(?!\w)"
    # Case endings as folded (й -> и): "первый" -> "первыи".
    r"|(?<!\w)(перв|втор|трет|четверт|пят)(?:ыи|ои|ая|ое|ого|ом|ую|ые|ых|ым|ьем|ии|ья|ье)(?!\w)"
    r"|(?<!\w)(перш|друг|трет|четверт|п['’ʼ]?ят)(?:ии|іи|ого|ому|ім|им|а|ои|ої|у|е|і|ия|іи)(?!\w)"
)


# A unit of time after an ordinal: "the first month of operation", "первый месяц",
# "перший тиждень", "premier mois" count time, not meetings (folded).
_TIME_UNIT_AFTER = re.compile(
    r"\s+(?:(?:full|whole|calendar)\s+)?(?:days?|weeks?|months?|quarters?|half|years?)\b"
    r"|\s+(?:дн|недел|месяц|квартал|полугоди|год|тиждн|тижд|місяц|місяч|півріч|рок|рік)\w*",
)

# Vietnamese puts the unit first: "tháng thứ hai", "tuần thứ nhất" (folded).
_TIME_UNIT_BEFORE = re.compile(r"(?<!\w)(?:ngay|tuan|thang|quy|nam)\s+$")


def ordinals_named(text: str) -> set[int]:
    """Ordinal words in a text, with or without a meeting after them ("and at the second
    one?", "А на втором?"); not those of a unit of time ("за первый месяц работы")."""
    folded = fold(text)
    return {
        value
        for start, end, value in _ordinal_spans(_ORDINAL_WORD, folded)
        if not _TIME_UNIT_AFTER.match(folded, end)
        and not _TIME_UNIT_BEFORE.search(folded, 0, start)
    }


# What joins ordinals that share one meeting word ("first and second sessions", "phiên
# thứ nhất và thứ hai", "первое и второе заседания"), folded.
_ORDINALS_JOINED = re.compile(r"\s*(?:,|and|or|va|hoac|и|или|і|та|чи|et|ou)\s*")


def meeting_ordinals(text: str) -> set[int]:
    """Which numbered meetings a text names ("the second meeting", "phiên họp lần thứ
    hai", "первое заседание", "друге засідання"), with the ordinals joined to one of
    them ("the first and second sessions")."""
    folded = fold(text)
    named = _ordinal_spans(_MEETING_ORDINAL, folded)
    if not named:
        return set()
    words = _ordinal_spans(_ORDINAL_WORD, folded)
    starts = {start for start, _end, _value in named}
    counted = {span for span in words if span[0] in starts}
    grown = True
    while grown:
        grown = False
        for span in words:
            if span in counted:
                continue
            if any(_joined(folded, span, other) for other in counted):
                counted.add(span)
                grown = True
    return {value for _start, _end, value in named | counted}


def _joined(folded: str, a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    first, second = sorted((a, b))
    return bool(_ORDINALS_JOINED.fullmatch(folded[first[1] : second[0]]))


def _ordinal_spans(pattern: re.Pattern[str], folded: str) -> set[tuple[int, int, int]]:
    """(start, end, value) of each ordinal a pattern finds in a folded text: where its word
    starts, where the match ends (after a case ending), and its number."""
    found = set()
    for match in pattern.finditer(folded):
        group = next(n for n, g in enumerate(match.groups(), start=1) if g)
        word = re.sub(r"['’ʼ]", "'", " ".join(match.group(group).split()))
        if word in _ORDINALS:
            found.add((match.start(group), match.end(), _ORDINALS[word]))
    return found


# What a sentence says of the whole country ("Nationwide, 59.7%", "cả nước có 58 triệu",
# "по всей стране"), not of a province: a figure beside the province's own.
_COUNTRY_WIDE = re.compile(
    r"\bnationwide\b|\bcountrywide\b|\b(?:across|throughout)\s+the\s+country\b"
    r"|\b(?:the\s+)?whole\s+country\b|\bnational\s+(?:average|target|figure|rate)\b"
    r"|toàn\s+quốc|cả\s+nước|trên\s+toàn\s+quốc"
    r"|(?<!\w)(?:по\s+)?всей\s+стран\w*|(?<!\w)по\s+стране|(?<!\w)в\s+целом\s+по\s+стране"
    r"|(?<!\w)(?:по\s+)?всій\s+країн\w*|(?<!\w)всієї\s+країни|(?<!\w)по\s+країні"
    r"|\bau\s+niveau\s+national\b|\bdans\s+tout\s+le\s+pays\b|\bl['’]ensemble\s+du\s+pays\b"
    r"|全国",
    re.IGNORECASE,
)
# Where a clause ends: what says which clause a figure belongs to.
_CLAUSE_END = re.compile(
    r"[,;:]\s|[，；：]|\s(?:while|whereas|trong\s+khi|тогда\s+как|тоді\s+як)\s"
)


def names_the_country(text: str) -> bool:
    """Whether the text speaks of the whole country anywhere."""
    return bool(_COUNTRY_WIDE.search(text))


def clause_at(sentence: str, at: int) -> tuple[int, int]:
    """The clause (between commas, semicolons, "while") holding offset `at`."""
    start = 0
    end = len(sentence)
    for match in _CLAUSE_END.finditer(sentence):
        if match.end() <= at:
            start = match.end()
        elif match.start() >= at:
            end = match.start()
            break
    return start, end


def country_wide_at(sentence: str, at: int) -> bool:
    """Whether the clause holding offset `at` (a figure) speaks of the whole country, or
    the sentence opens on the country before any figure ("Nationwide, the rate ...")."""
    start, end = clause_at(sentence, at)
    if _COUNTRY_WIDE.search(sentence, start, end):
        return True
    first = _CLAUSE_END.search(sentence)
    opening = sentence[: first.start()] if first else ""
    return bool(_COUNTRY_WIDE.search(opening)) and not any(ch.isdigit() for ch in opening)


# A sentence opening on an earlier time or an earlier plan ("Trước đó, giai đoạn 2019–2021,
# tỉnh đã đầu tư 640 tỷ", "The previous Plan No. 412 set only 70%"): its figures are the
# past's, beside the present one asked about.
_EARLIER = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:trước\s+đó|trước\s+đây|previously|earlier|before\s+that|formerly"
    r"|ранее|раньше|до\s+этого|раніше|до\s+цього|auparavant|précédemment"
    r"|(?:the\s+)?previous\s+plan|kế\s+hoạch\s+trước|предыдущ\w*\s+план|попередн\w*\s+план)(?!\w)",
    re.IGNORECASE,
)


def opens_on_the_past(sentence: str) -> bool:
    """Whether the sentence opens on an earlier time or an earlier plan than its story's."""
    return bool(_EARLIER.search(sentence))


# Indexes that rank the provinces: a figure of one is not another's.
_INDEXES = {
    "pii": re.compile(
        r"\bPII\b|innovation\s+index|chỉ\s+số\s+đổi\s+mới\s+sáng\s+tạo|индекс\w*\s+инноваций|індекс\w*\s+інновацій",
        re.IGNORECASE,
    ),
    "dti": re.compile(
        r"\bDTI\b|digital\s+transformation\s+index|chỉ\s+số\s+chuyển\s+đổi\s+số|индекс\w*\s+цифровой\s+трансформации|індекс\w*\s+цифрової\s+трансформації",
        re.IGNORECASE,
    ),
    "par": re.compile(
        r"\bPAR\s*[- ]?INDEX\b|\bPAR\b|chỉ\s+số\s+cải\s+cách\s+hành\s+chính|индекс\w*\s+административной\s+реформы|індекс\w*\s+адміністративної\s+реформи",
        re.IGNORECASE,
    ),
    "sipas": re.compile(
        r"\bSIPAS\b|chỉ\s+số\s+hài\s+lòng|satisfaction\s+index|индекс\w*\s+удовлетворённост|індекс\w*\s+задоволеност",
        re.IGNORECASE,
    ),
    "papi": re.compile(r"\bPAPI\b", re.IGNORECASE),
    "pci": re.compile(r"\bPCI\b|competitiveness\s+index|năng\s+lực\s+cạnh\s+tranh", re.IGNORECASE),
}


def indexes_named(text: str) -> frozenset[str]:
    """The province-ranking indexes a text names (PII, DTI, PAR INDEX, SIPAS, PAPI, PCI)."""
    return frozenset(name for name, pattern in _INDEXES.items() if pattern.search(text))


def indexes_of_values(text: str, value_starts: Sequence[int]) -> frozenset[str]:
    """The indexes whose figures the values at `value_starts` are: each value's is the
    index named last before it, else the first named after it ("Along with PAR INDEX,
    the SIPAS reached 80.52%, ranking 52/63": SIPAS's). Empty when the text names none."""
    named = sorted(
        (match.start(), match.end(), name)
        for name, pattern in _INDEXES.items()
        for match in pattern.finditer(text)
    )
    owners: set[str] = set()
    for at in value_starts:
        before = [name for _start, end, name in named if end <= at]
        after = [name for start, _end, name in named if start >= at]
        owner = before[-1] if before else next(iter(after), None)
        if owner is not None:
            owners.add(owner)
    return frozenset(owners)


# A clause naming an earlier plan than the story's ("far above the 15% target of the
# previous Plan No. 212"): its figure is that plan's.
_EARLIER_PLAN = re.compile(
    r"\bprevious\s+plan|\bformer\s+plan|\bold\s+plan|kế\s+hoạch\s+(?:trước|cũ)"
    r"|предыдущ\w*\s+план\w*|прежн\w*\s+план\w*|попередн\w*\s+план\w*|ancien\s+plan",
    re.IGNORECASE,
)
# A figure added up since a programme began ("lũy kế", "in total since the start"), not
# one of the period asked.
_CUMULATIVE = re.compile(
    r"lũy\s+kế|\bcumulative(?:ly)?\b|\bin\s+total\s+since\b|\bsince\s+the\s+(?:start|beginning)\b"
    r"|\bto\s+date\b|с\s+начала\s+(?:реализации|периода|программы|проекта)|в\s+общей\s+сложности"
    r"|з\s+початку\s+(?:реалізації|періоду|програми|проєкту)|загалом\s+з|từ\s+đầu\s+giai\s+đoạn"
    r"|từ\s+khi\s+triển\s+khai|depuis\s+le\s+début",
    re.IGNORECASE,
)
# What a question asks of a target rather than of what was done.
_ASKS_TARGET = re.compile(
    r"\btarget|\baim|\bgoal|\bplan(?:s|ned)?\s+to\b|\bstriv|\bexpect|mục\s+tiêu|phấn\s+đấu"
    r"|kế\s+hoạch|dự\s+kiến|(?<!\w)цел[ьи]|(?<!\w)ціл[ьі]|планир|планув|стрем|прагн|objectif"
    # What must be reached: "must reach", "phải đạt", "має досягти", "должна достичь".
    r"|\bmust\b|\bshould\b|supposed\s+to|phải\s+đạt|cần\s+đạt|(?<!\w)ма(?:є|в|ла|ли)\s+"
    r"(?:досягти|становити)|(?<!\w)повин|(?<!\w)долж(?:ен|на|ны|но)\b|(?<!\w)мет[аиу](?!\w)",
    re.IGNORECASE,
)


def names_an_earlier_plan(text: str) -> bool:
    """Whether the text speaks of an earlier plan than its story's."""
    return bool(_EARLIER_PLAN.search(text))


def is_cumulative(text: str) -> bool:
    """Whether the text gives a figure added up since a programme began."""
    return bool(_CUMULATIVE.search(text))


def asks_for_a_target(question: str) -> bool:
    """Whether the question asks what was aimed at or planned, not what was done."""
    return bool(_ASKS_TARGET.search(question))


# What states a figure as of a day, written right before the day: "as of", "tính đến
# (hết) ngày", "đến ngày", "at the time of", "thời điểm", "на момент", "по состоянию на",
# "станом на", "au".
_AS_OF = re.compile(
    r"(?:\bas\s+(?:of|at)|tính\s+đến(?:\s+hết)?(?:\s+ngày)?|đến\s+(?:hết\s+)?ngày"
    r"|(?:at\s+the\s+time\s+of|thời\s+điểm(?:\s+ngày)?|на\s+момент)"
    r"|по\s+состоянию\s+на|станом\s+на|\bau)\s*$",
    re.IGNORECASE,
)
# How far before a day its "as of" may start.
AS_OF_WINDOW = 32


def states_as_of(text: str, day_start: int) -> bool:
    """Whether the day at `day_start` in the text is one a figure is stated as of. A day
    read with its "ngày" ("đến ngày 28/2/2026") is read as of after "đến" alone."""
    before = text[max(0, day_start - AS_OF_WINDOW) : day_start]
    if text[day_start : day_start + 4].lower() == "ngày":
        before += "ngày"
    return bool(_AS_OF.search(before))


# Stages of a piece of work in the papers' words: a question asking one ("how many homes
# were finished", "скільки акаунтів активовано") is answered by the clause of that stage,
# not by the one before it ("started 1,943 houses, completed 1,388"; "collected 1,108,920
# records, activated 1,012,450 accounts").
_STAGES: dict[str, re.Pattern[str]] = {
    "started": re.compile(
        r"\bstart(?:ed|ing)?\b|\bbeg[ua]n\b|\bcommenc\w*|\bbroke\s+ground|under\s+construction"
        r"|khởi\s+công|bắt\s+đầu|(?<!\w)начат\w*|(?<!\w)начал[иао]?(?!\w)|(?<!\w)розпочат\w*"
        r"|(?<!\w)розпочал\w*|(?<!\w)почат\w*|mis\s+en\s+chantier",
        re.IGNORECASE,
    ),
    "completed": re.compile(
        r"\bcomplet(?:ed|ing)\b|\bfinish\w*|\bbuilt\b|hoàn\s+thành|xây\s+xong|(?<!\w)заверш\w*"
        r"|(?<!\w)достро\w*|(?<!\w)построен\w*|(?<!\w)закінч\w*|(?<!\w)збудован\w*|(?<!\w)добудова\w*"
        r"|\bachev\w*|\bterminé\w*",
        re.IGNORECASE,
    ),
    "handed_over": re.compile(
        r"\bhand(?:ed|ing)?\s+over\b|\bdeliver(?:ed|ing)\b|bàn\s+giao|(?<!\w)переда\w*|(?<!\w)вруч\w*"
        r"|\bremis\w*",
        re.IGNORECASE,
    ),
    "collected": re.compile(
        r"\bcollect(?:ed|ing)\b|thu\s+nhận|(?<!\w)собран\w*|(?<!\w)собрал\w*|(?<!\w)зібран\w*"
        r"|(?<!\w)зібрал\w*|\brecueilli\w*",
        re.IGNORECASE,
    ),
    "activated": re.compile(
        r"\bactivat\w*|kích\s+hoạt|(?<!\w)активир\w*|(?<!\w)активова\w*|\bactivé\w*",
        re.IGNORECASE,
    ),
    # Money set aside, then spent: "allocated 512.9 billion; by September, 287.3 billion
    # had been disbursed".
    "allocated": re.compile(
        r"\ballocat\w*|\bset\s+aside\b|\bearmark\w*|bố\s+trí|phân\s+bổ|(?<!\w)выдел\w*"
        r"|(?<!\w)виділ\w*|\balloué\w*|\ballou\w*|(?<!\w)передбач\w*|(?<!\w)предусмотр\w*"
        r"|\bprévu\w*",
        re.IGNORECASE,
    ),
    "disbursed": _DISBURSED,
}


# "To be built", "to complete": a stage to reach, not one reached.
_TO_REACH = re.compile(r"\bto\s+(?:be\s+)?$", re.IGNORECASE)


def stages_named(text: str) -> frozenset[str]:
    """The stages of work the text says were reached (`_STAGES`): started, completed,
    handed over, collected, activated."""
    return frozenset(
        stage
        for stage, words in _STAGES.items()
        if any(not _TO_REACH.search(text, 0, m.start()) for m in words.finditer(text))
    )


# A deadline moved: "adjust the completion deadline to November 30, 2025", "điều chỉnh thời
# hạn hoàn thành sang ngày 31/3/2026", "перенести срок на", "продовжити термін до". The
# clause moving it gives the deadline now in force.
_DEADLINE_MOVED = re.compile(
    r"\badjust\w*\s+(?:the\s+)?(?:\w+\s+)?deadline|\bextend\w*\s+(?:the\s+)?(?:\w+\s+)?deadline"
    r"|\bextended\s+(?:to|until)\b|\bpostpon\w*|\bpush\w*\s+(?:\w+\s+){0,2}back|\bmoved?\s+(?:the\s+deadline\s+)?to\b"
    r"|\bnew\s+deadline|\breschedul\w*"
    r"|điều\s+chỉnh\s+(?:thời\s+hạn|thời\s+gian|mốc|hạn)|gia\s+hạn|lùi\s+(?:thời\s+hạn|hạn|sang|đến|tới)"
    r"|(?<!\w)перен[её]с\w*|(?<!\w)перенест\w*|(?<!\w)продл\w*\s+(?:срок|строк)"
    r"|(?<!\w)продовж\w*\s+(?:строк|термін)|(?<!\w)скорректир\w*\s+срок|(?<!\w)скориг\w*\s+(?:строк|термін)"
    r"|(?<!\w)нов(?:ый|ий)\s+(?:срок|строк|термін)|\breport\w*\s+(?:au|à)\b|\bprolong\w*"
    r"|nouvelle\s+échéance",
    re.IGNORECASE,
)
# The deadline first set, asked for itself: "what was the original deadline?", "ban đầu".
_ORIGINAL_DEADLINE = re.compile(
    r"\boriginal\w*|\binitial\w*|\bfirst\s+set\b|ban\s+đầu|lúc\s+đầu|(?<!\w)первоначальн\w*"
    r"|(?<!\w)изначальн\w*|(?<!\w)початков\w*|(?<!\w)спочатку|(?<!\w)первісн\w*|\binitialement",
    re.IGNORECASE,
)


def moves_a_deadline(text: str) -> bool:
    """Whether the text moves a deadline to another day (`_DEADLINE_MOVED`)."""
    return bool(_DEADLINE_MOVED.search(text))


def asks_the_original_deadline(question: str) -> bool:
    """Whether the question asks the deadline first set, not the one now in force."""
    return bool(_ORIGINAL_DEADLINE.search(question))


def asks_the_deadline_now(question: str) -> bool:
    """Whether the question asks a deadline as moved ("did they push it back?") or as now
    in force ("by when is it now due?"), not the one first set."""
    now = bool(NOW.search(question))  # "by when is it now due?", "теперь", "hiện nay"
    if asks_the_original_deadline(question) and not now:
        return False
    return moves_a_deadline(question) or now
