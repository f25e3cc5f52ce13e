"""Everything a generated DAG file uses, in one module: the Airflow names (`DAG`, `Param`, across
versions), the operator and the retry settings."""

from __future__ import annotations

from .compat import DAG, Param
from .operator import UpdraftStage
from .retry import retry_args

__all__ = ["DAG", "Param", "UpdraftStage", "retry_args"]
