"""Index errors.

IndexError_ (base; the trailing underscore avoids shadowing the builtin)
├── EmbedderMismatchError  the index was built with another embedder than the one asked for
├── IndexNotBuiltError     there is no index yet (run `policyqa index`)
├── ModelUnavailableError  the embedding model's weights cannot be had
└── BackendError           the vector backend (FAISS, Milvus) failed
"""


class IndexError_(Exception):
    """Base class for index errors."""


class EmbedderMismatchError(IndexError_):
    pass


class IndexNotBuiltError(IndexError_):
    pass


class ModelUnavailableError(IndexError_):
    pass


class BackendError(IndexError_):
    pass
