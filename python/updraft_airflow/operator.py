"""The operator that runs one stage of a plan exactly as `updraft run` runs it. Nothing passes through
Jinja; nothing runs when Airflow imports a DAG file, the work happens in `execute`."""

from __future__ import annotations

from typing import Any

from .compat import AirflowFailException, BaseOperator
from .process import kill_group
from .records import InvalidParams, Pipeline, open_run
from .task import run_gate, run_task


class UpdraftStage(BaseOperator):  # type: ignore[misc]
    """One stage of the plan (`stage`: the exporter's stage data) of a pipeline (`pipeline`)."""

    template_fields = ()
    template_ext = ()
    ui_color = "#dbeafe"

    def __init__(self, *, stage: dict[str, Any], pipeline: Pipeline, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stage = stage
        self.pipeline = pipeline
        self.running: dict[str, Any] = {}

    def execute(self, context: Any) -> None:
        try:
            run = open_run(context, self.pipeline)
        except InvalidParams as error:  # as `updraft run` refuses them: before anything runs, never retried
            self.log.error("%s", error)
            raise AirflowFailException(str(error)) from None
        if self.stage["kind"] == "gate":
            return run_gate(self, run)
        return run_task(self, run, context["ti"])

    def on_kill(self) -> None:
        proc = self.running.pop("proc", None)
        if proc is not None:
            self.running["killed"] = True
            kill_group(proc)
