"""How long a question may be.

2,000 characters, the limit `POST /ask` and `/v1/chat/completions` have always enforced
(`api.schemas.AskRequest.question`) and the one `qa.answer.answer` enforced: a question
longer than that is refused with a message saying how long it was. Q&A's own reading of a
question (`qa.understand`) applies the same limit to every user turn it reads.
"""

from __future__ import annotations

MAX_QUESTION_CHARS = 2_000
