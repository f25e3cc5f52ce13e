"""A team's own DAG with an updraft pipeline inside it: package mode's UpdraftTaskGroup (the uf_retry
fixture, from its plan file beside this one) between two of the team's tasks. test/airflow/run.sh copies
it into the DAG folder when EXPORT_MODE=package; check.py runs it and reads what it left."""

import datetime

try:  # Airflow 3.x
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.sdk import DAG
except ImportError:  # Airflow 2.10
    from airflow import DAG
    from airflow.operators.bash import BashOperator

from updraft_airflow.package import UpdraftTaskGroup

with DAG(
    "team_nightly",
    schedule=None,
    start_date=datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),
    catchup=False,
) as dag:
    fetch = BashOperator(task_id="fetch", bash_command="echo fetched")
    publish = BashOperator(task_id="publish", bash_command="echo published")
    fetch >> UpdraftTaskGroup(plan="uf_retry.plan.json") >> publish
