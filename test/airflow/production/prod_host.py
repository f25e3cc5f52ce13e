"""[core] hostname_callable of the harness's Celery workers (run.sh, EXECUTOR=celery): both run on this
machine, so each names the host it stands for (PROD_HOST) and the task_instance rows tell them apart."""

from __future__ import annotations

import os
import socket


def hostname() -> str:
    return os.environ.get("PROD_HOST") or socket.getfqdn()
