"""GPU leases on a worker: how a worker without devices chooses, and what the failure says."""

from __future__ import annotations

from pathlib import Path

import pytest

from updraft_airflow.gpu import NoGpu, lease_gpus, pool_only


def no_devices(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A worker with no nvidia-smi on PATH and no UPDRAFT_GPUS."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("UPDRAFT_GPUS", raising=False)
    monkeypatch.setenv("UPDRAFT_LOCK_DIR", str(tmp_path / "locks"))


def test_a_worker_without_devices_says_how_to_choose(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # GIVEN a worker without nvidia-smi or UPDRAFT_GPUS, WHEN a stage asks for a GPU
    no_devices(monkeypatch, tmp_path)
    with pytest.raises(NoGpu) as error:
        lease_gpus(1, "run", "train", lambda _: None)
    # THEN the failure names every way to choose, the pool-only mode among them
    assert str(error.value) == (
        "the stage needs 1 GPU(s) and this worker has 0: set UPDRAFT_GPUS=N to lease N devices here,"
        " CUDA_VISIBLE_DEVICES to pin devices, or UPDRAFT_GPU_LEASE=pool to let the Airflow pool be the lease"
        " (devices untouched)"
    )
    assert not (tmp_path / "locks").exists()


@pytest.mark.parametrize(("mode", "pool"), [("", False), ("devices", False), ("pool", True)])
def test_the_worker_chooses_pool_only_mode_by_its_environment(
    monkeypatch: pytest.MonkeyPatch, mode: str, pool: bool
) -> None:
    monkeypatch.setenv("UPDRAFT_GPU_LEASE", mode)
    assert pool_only() is pool


def test_an_unknown_mode_is_named_with_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPDRAFT_GPU_LEASE", "Pool ")
    with pytest.raises(NoGpu, match=r"UPDRAFT_GPU_LEASE is 'Pool ': use pool \(the Airflow pool is the lease"):
        pool_only()
