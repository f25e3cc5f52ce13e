#!/usr/bin/env bash
# Exported DAGs under a production-shaped Airflow: a private PostgreSQL (Debian's package) as the
# metadata database, LocalExecutor, and (Airflow 3) the api-server, scheduler and dag-processor or
# (Airflow 2.10) the webserver and scheduler as separate processes; runs are triggered through the
# REST API with conf and checked from the database and from disk by check.py. Every service is started
# here and stopped on exit (also on failure).
#
#   bash test/airflow/production/run.sh                       # Airflow 3; last line: "production: N passed, M failed"
#   AIRFLOW_VERSION=2.10 bash test/airflow/production/run.sh  # Airflow 2.10.5
#   EXECUTOR=celery bash test/airflow/production/run.sh       # Airflow 3, CeleryExecutor: Redis (Debian's
#       redis-server) and three Celery workers standing for two GPU hosts (host-a: queue gpu_a, 1 GPU; host-b:
#       queue gpu_b, 2 GPUs; both also default) and a host without GPUs (host-c: default only), one project
#       path; checks routing, both GPU hosts at once, pools
#
# Machine-wide (PostgreSQL, Redis, Airflow): run it as `flock -o /tmp/updraft-prod.lock bash ...`; -o keeps the
# lock's descriptor out of the daemons started here.
#
# Needs PostgreSQL binaries (apt-get install postgresql) and the Airflow venv of ../run.sh. The
# Execution API timeout is raised from 5 s to 60 s: on a loaded 2-core machine a task's supervisor
# timed out talking to the api-server and Airflow failed the task before it started.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
line=${AIRFLOW_VERSION:-3}
[[ $line == 3 || $line == 2.10 ]] || { echo "AIRFLOW_VERSION is $line: use 3 or 2.10"; exit 2; }
executor=${EXECUTOR:-local}
[[ $executor == local || $executor == celery ]] || { echo "EXECUTOR is $executor: use local or celery"; exit 2; }
[[ $executor == local || $line == 3 ]] || { echo "EXECUTOR=celery runs on Airflow 3 only (its lock has the Celery provider)"; exit 2; }
lock="$here/../requirements-airflow-$line.txt"
venv="${UPDRAFT_AIRFLOW_VENVS:-$HOME/.cache/updraft/airflow-venvs}/airflow-$line-$(sha256sum "$lock" | cut -c1-12)"
[[ -f $venv/.complete ]] || { echo "no Airflow $line venv at $venv: run AIRFLOW_VERSIONS=$line test/airflow/run.sh first"; echo "production: 0 passed, 1 failed"; exit 1; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x $pgbin/initdb ]] || { echo "no PostgreSQL (apt-get install postgresql)"; echo "production: 0 passed, 1 failed"; exit 1; }
[[ $executor == local ]] || command -v redis-server >/dev/null ||
  { echo "no Redis (apt-get install redis-server)"; echo "production: 0 passed, 1 failed"; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/updraft-prod.XXXXXX")
chmod 755 "$work"
free_port() { "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pids=() names=()
# Live (not zombie) processes of the services' sessions.
live() { for pid in "${pids[@]}"; do ps -o stat= -s "$pid"; done | grep -vc '^Z'; }
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
  for _ in {1..30}; do [[ $(live) == 0 ]] && break; sleep 0.5; done # Celery workers shut down warm
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null; done
  as_pg "$pgbin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1
  [[ ${KEEP_WORK:-} == 1 ]] || rm -rf "$work"
}
trap cleanup EXIT
# PostgreSQL refuses to run as root: its own user when we are root.
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
t0=$SECONDS

# --- PostgreSQL: a private cluster on a free port, sockets in the work dir.
pgport=$(free_port)
mkdir -p "$work/pg" && { [[ $(id -u) != 0 ]] || chown postgres "$work/pg"; }
as_pg "$pgbin/initdb" -D "$work/pg" -A trust -U postgres >"$work/pg-init.log" 2>&1 || { cat "$work/pg-init.log"; exit 1; }
as_pg "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -o "-p $pgport -k $work/pg -c listen_addresses=127.0.0.1" -w start >/dev/null || exit 1
as_pg "$pgbin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -q -c "CREATE USER airflow PASSWORD 'airflow';" -c "CREATE DATABASE airflow OWNER airflow;" || exit 1

# --- Airflow with LocalExecutor.
api_port=$(free_port)
export AIRFLOW_HOME=$work/home AIRFLOW__CORE__DAGS_FOLDER=$work/dags AIRFLOW__CORE__LOAD_EXAMPLES=False \
  AIRFLOW__CORE__EXECUTOR=LocalExecutor AIRFLOW__CORE__PARALLELISM=8 PROD_EXECUTOR=$executor \
  AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="postgresql+psycopg2://airflow:airflow@127.0.0.1:$pgport/airflow" \
  AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=False AIRFLOW__LOGGING__LOGGING_LEVEL=INFO \
  AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT=30 \
  UPDRAFT_GPUS=1 UPDRAFT_LOCK_DIR=$work/leases PROD_WORK=$work AIRFLOW_API="http://127.0.0.1:$api_port" AIRFLOW_LINE=$line
if [[ $line == 3 ]]; then
  components=(api-server scheduler dag-processor)
  export AIRFLOW__API__HOST=127.0.0.1 AIRFLOW__API__PORT=$api_port \
    AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:$api_port/execution/" \
    AIRFLOW__API_AUTH__JWT_SECRET="updraft-test-$RANDOM$RANDOM" AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS=True \
    AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL=5 AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT=60
else # 2.10: the webserver serves the REST API (basic auth, a user made below); the scheduler parses DAGs
  components=(webserver scheduler)
  export AIRFLOW__WEBSERVER__WEB_SERVER_HOST=127.0.0.1 AIRFLOW__WEBSERVER__WEB_SERVER_PORT=$api_port \
    AIRFLOW__WEBSERVER__WORKERS=1 AIRFLOW__WEBSERVER__SECRET_KEY="updraft-test-$RANDOM$RANDOM" \
    AIRFLOW__API__AUTH_BACKENDS=airflow.api.auth.backend.basic_auth \
    AIRFLOW__SCHEDULER__DAG_DIR_LIST_INTERVAL=5 AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL=5 \
    AIRFLOW__SCHEDULER__SCHEDULER_ZOMBIE_TASK_THRESHOLD=30 AIRFLOW__SCHEDULER__PRINT_STATS_INTERVAL=10
fi
mkdir -p "$AIRFLOW_HOME" "$work/logs"
pools=$work/dags/uf_prod_gpu.pools.json
if [[ $executor == celery ]]; then
  # Redis as the broker (a private one on a free port, no persistence); results in PostgreSQL, driver named.
  redis_port=$(free_port)
  setsid redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --dir "$work" >"$work/logs/redis.log" 2>&1 &
  pids+=($!) names+=(redis)
  export AIRFLOW__CORE__EXECUTOR=CeleryExecutor AIRFLOW__CELERY__BROKER_URL="redis://127.0.0.1:$redis_port/0" \
    AIRFLOW__CELERY__RESULT_BACKEND="db+postgresql+psycopg2://airflow:airflow@127.0.0.1:$pgport/airflow"
  pools=$work/dags/uf_prod_hosts.pools.json
fi
(cd "$root" && node --import tsx "$here/prepare.ts" "$work/dags" "$work/project" "$executor") || exit 1
# One pools file: every DAG here ships the same "gpu" pool (local: 1 slot; celery: 3, both hosts' GPUs).
{
  "$venv/bin/airflow" db migrate && "$venv/bin/airflow" pools import "$pools" &&
    if [[ $line == 2.10 ]]; then
      "$venv/bin/airflow" users create --username updraft --password updraft --role Admin \
        --firstname up --lastname draft --email updraft@example.invalid
    fi
} >"$work/logs/setup.log" 2>&1 || { tail -n 30 "$work/logs/setup.log"; exit 1; }
for component in "${components[@]}"; do
  setsid "$venv/bin/airflow" "$component" >"$work/logs/$component.log" 2>&1 &
  pids+=($!) names+=("$component")
done
# A Celery worker standing for one GPU host: NAME GPUS QUEUES. Its own lease dir and GPU count, a log server
# port of its own (two workers on one machine), the shared project path; PROD_HOST names it in task_instance.
worker() {
  mkdir -p "$work/leases-$1"
  PROD_HOST=$1 UPDRAFT_GPUS=$2 UPDRAFT_LOCK_DIR=$work/leases-$1 AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT=$(free_port) \
    AIRFLOW__CORE__HOSTNAME_CALLABLE=prod_host.hostname PYTHONPATH=$here \
    setsid "$venv/bin/airflow" celery worker -q "$3" -H "$1" --concurrency 2 >"$work/logs/worker-$1.log" 2>&1 &
  pids+=($!) names+=("worker-$1")
}
if [[ $executor == celery ]]; then
  worker host-a 1 gpu_a,default
  worker host-b 2 gpu_b,default
  worker host-c 0 default # a host without GPUs: no GPU stage may land here
fi
echo "services starting ($((SECONDS - t0))s so far)" >&2
"$venv/bin/python" "$here/check.py" | tee "$work/result.txt"
# Footprint: resident memory of each service with its children (one session each), after the checks.
for i in "${!pids[@]}"; do
  printf '%s %s MB\n' "${names[$i]}" "$(ps -o rss= -s "${pids[$i]}" | awk '{ kb += $1 } END { printf "%d", kb / 1024 }')"
done | paste -sd ' ' | sed 's/^/RSS: /' >&2
echo "production total: $((SECONDS - t0))s" >&2
result=$(tail -n 1 "$work/result.txt")
[[ $result =~ ([0-9]+)\ passed,\ 0\ failed ]] || { KEEP_WORK=1; echo "work dir kept: $work" >&2; exit 1; }
