"""The Airflow names the runtime uses, from Airflow 3.x where they moved, else from Airflow 2.10."""

from __future__ import annotations

import re

from airflow import __version__ as _airflow_version

try:  # Airflow 3.x
    from airflow.sdk import DAG, BaseOperator, Param
except ImportError:  # Airflow 2.10
    from airflow import DAG
    from airflow.models.baseoperator import BaseOperator
    from airflow.models.param import Param
try:  # Airflow 3.x, where the task SDK owns the exceptions a task raises
    from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowTaskTimeout
except ImportError:  # Airflow 2.10
    from airflow.exceptions import AirflowException, AirflowFailException, AirflowTaskTimeout

try:  # Airflow 3.3+: a retry policy sets each retry's delay exactly
    from airflow.sdk import RetryDecision, RetryPolicy
except ImportError:
    RetryDecision = RetryPolicy = None

AIRFLOW_VERSION = tuple(int(x) for x in re.findall(r"\d+", _airflow_version)[:2])

__all__ = [
    "AIRFLOW_VERSION",
    "DAG",
    "AirflowException",
    "AirflowFailException",
    "AirflowTaskTimeout",
    "BaseOperator",
    "Param",
    "RetryDecision",
    "RetryPolicy",
]
