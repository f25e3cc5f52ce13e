"""updraft's Airflow side: the runtime an exported DAG runs its stages with.

This module imports nothing, so `updraft_airflow.gates` (standard library only) can be used where
Airflow is not installed. The runtime is in `operator`, `task`, `records`, `gpu`, `process` and
`retry`; `embedding` loads the package from source text held in a self-contained DAG file.
"""
