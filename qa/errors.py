"""Q&A errors.

QAError
├── QuestionError   the question is empty, too long or not understood
└── LLMError        the optional generative model failed (callers fall back to extractive)
"""


class QAError(Exception):
    """Base class for Q&A errors."""


class QuestionError(QAError):
    pass


class LLMError(QAError):
    pass
