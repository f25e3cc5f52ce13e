"""Runs the Python gate evaluator (python/updraft_airflow/gates) for the conformance tests.

usage: python3 driver.py DIR < request.json, where DIR holds the updraft_airflow package.
The request is {"gates": [{"id", "gate", "params", "cwd"}]}, {"numbers": [float]} or
{"metrics": [hex bytes]}; the answer is a JSON list, one item per input, in order.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])
from updraft_airflow.gates import evaluate, values  # noqa: E402

request = json.load(sys.stdin)
if "gates" in request:
    out = [evaluate.evaluate_gate(x["id"], x["gate"], x["params"], x["cwd"]) for x in request["gates"]]
elif "numbers" in request:
    out = [values.format_number(x) for x in request["numbers"]]
else:
    out = [values.json_safe(evaluate.parse_metrics_bytes(bytes.fromhex(h))) for h in request["metrics"]]
# allow_nan=False: a NaN leaking into a result is an error, as strict JSON readers would fail on it.
json.dump(out, sys.stdout, ensure_ascii=False, allow_nan=False)
