"""The API for fuzzing: the app over the test corpus (a fake index, the real answer
function), under uvicorn with the same options as `policyqa serve`.

    python -m fuzz.serve_app PORT HOME
"""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn
from pydantic import SecretStr

from api.app import create_app
from api.http_server import server_options
from api.settings import Settings
from qa.answer import answer
from tests.api.support import FakeRetriever

API_KEY = "fuzz-key-0123456789abcdef"


def main() -> None:
    port, home = int(sys.argv[1]), Path(sys.argv[2])
    settings = Settings(
        home=home,
        api_keys=[SecretStr(API_KEY)],
        rate_limit_per_minute=0,
        header_timeout_seconds=3.0,
        body_timeout_seconds=5.0,
    )
    app = create_app(settings, retriever=FakeRetriever(), answer_fn=answer)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", **server_options(settings))


if __name__ == "__main__":
    main()
