"""Calendar words shared by the index (dates mentioned in articles, `index.mentions`) and
Q&A (periods named in questions, `qa.temporal`).

It lives in `index/` because Q&A already depends on the index and the index must not
depend on Q&A: both layers import it without a back-edge. One table, so that a month
spelling the index recognises in an article is also recognised in a question.
"""

from __future__ import annotations

# Month names per month number, as regex alternatives: English, French, Russian and
# Ukrainian with their case endings (nominative, genitive, dative, locative, instrumental:
# "к июню", "до червня").
MONTH_FORMS: dict[int, str] = {
    1: r"january|jan\.?|janvier|январ(?:ь|я|е|ю|ём|ем)|січ(?:ень|ня|ні|ню|нем)",
    2: r"february|feb\.?|février|fevrier|феврал(?:ь|я|е|ю|ём|ем)|лют(?:ий|ого|ому|им)",
    3: r"march|mar\.?|mars|март(?:а|е|у|ом)?|берез(?:ень|ня|ні|ню|нем)",
    4: r"april|apr\.?|avril|апрел(?:ь|я|е|ю|ем)|квіт(?:ень|ня|ні|ню|нем)",
    5: r"may|mai|ма(?:й|я|е|ю|ем)|трав(?:ень|ня|ні|ню|нем)",
    6: r"june|jun\.?|juin|июн(?:ь|я|е|ю|ем)|черв(?:ень|ня|ні|ню|нем)",
    7: r"july|jul\.?|juillet|июл(?:ь|я|е|ю|ем)|лип(?:ень|ня|ні|ню|нем)",
    8: r"august|aug\.?|août|aout|август(?:а|е|у|ом)?|серп(?:ень|ня|ні|ню|нем)",
    9: r"september|sept?\.?|septembre|сентябр(?:ь|я|е|ю|ём|ем)|верес(?:ень|ня|ні|ню|нем)",
    10: r"october|oct\.?|octobre|октябр(?:ь|я|е|ю|ём|ем)|жовт(?:ень|ня|ні|ню|нем)",
    11: r"november|nov\.?|novembre|ноябр(?:ь|я|е|ю|ём|ем)|листопад(?:а|і|у|ом)?",
    12: r"december|dec\.?|décembre|decembre|декабр(?:ь|я|е|ю|ём|ем)|груд(?:ень|ня|ні|ню|нем)",
}

# English month names that are also ordinary words ("may", "march"): a month only with a
# day or year, or written with a capital after a time preposition ("in May").
AMBIGUOUS_MONTHS = frozenset({"may", "mar", "march", "jan", "jun", "dec", "sep", "oct"})
