"""updraft quality gates in Python (standard library only): the twin of updraft's TypeScript evaluator.

Same verdicts, same reason strings; test/gates/vectors.json pins both. `evaluate.evaluate_gate` is the
entry point; `values` holds how numbers and values print (JavaScript's way), `metrics` the metric
rules, `files` the file rules and `combine` anyOf/allOf. Nothing here imports Airflow, so other exporters can embed it.
"""
