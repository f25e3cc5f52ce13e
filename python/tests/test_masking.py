"""The shared masking cases (test/fixtures/masking/cases.json), which updraft run's masker passes too,
through the runtime's masker; and the secrets a task masks are every secret the plan names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from updraft_airflow.masking import Masker, mask_deep, plan_secrets

CASES: dict[str, list[dict[str, Any]]] = json.loads(
    (Path(__file__).resolve().parents[2] / "test/fixtures/masking/cases.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES["stream"], ids=lambda c: c["name"])
def test_stream_cases_mask_as_updraft_run_does(case: dict[str, Any]) -> None:
    # GIVEN the case's secrets and the chunks a process writes, WHEN masked as they come
    masker = Masker(case["secrets"])
    out = b"".join(masker.push(chunk.encode()) for chunk in case["chunks"]) + masker.end()
    # THEN the output is the one updraft run writes
    assert out.decode() == case["expected"]


@pytest.mark.parametrize("case", CASES["deep"], ids=lambda c: c["name"])
def test_records_lose_every_form_of_a_secret(case: dict[str, Any]) -> None:
    assert mask_deep(case["value"], case["secrets"]) == case["expected"]


def test_a_stage_masks_the_secrets_of_every_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a plan where only stage a declares a secret, and the worker has it
    monkeypatch.setenv("API_TOKEN", "tok-123")
    plan = {"stages": [{"id": "a", "secretEnv": ["API_TOKEN"]}, {"id": "b", "secretEnv": []}]}
    # WHEN the secrets to mask are listed THEN stage b's output is masked for it too
    assert plan_secrets(json.dumps(plan)) == ["tok-123"]
