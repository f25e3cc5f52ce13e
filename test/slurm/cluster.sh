#!/usr/bin/env bash
# A real two-node Slurm 22.05 cluster on this host, started without systemd (see the Slurm notes):
# munged, slurmctld and two slurmd (-N node1: 2 fake GPUs, -N node2: 1), a GPU license pool of 2.
#
#   bash test/slurm/cluster.sh start DIR   # writes DIR/slurm.conf, DIR/gres.conf; prints nothing on success
#   bash test/slurm/cluster.sh stop DIR    # stops the daemons it started (by their pid files)
#
# Clients then need SLURM_CONF=DIR/slurm.conf. Fake GPUs are character devices (mknod), since
# Slurm only hands out GRES files that are devices.
set -euo pipefail
cmd=${1:?start or stop}
L=$(mkdir -p "${2:?scratch dir}" && cd "$2" && pwd)
export SLURM_CONF=$L/slurm.conf

stop() {
  local f pid
  for f in "$L"/slurmd-node1.pid "$L"/slurmd-node2.pid "$L"/slurmctld.pid; do
    [[ -f $f ]] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$f"
  done
}

start() {
  install -d -o munge -g munge -m 0755 /run/munge
  pgrep -x munged >/dev/null || runuser -u munge -- /usr/sbin/munged
  mkdir -p "$L/state" "$L/spool" "$L/dev"
  for i in 0 1 2; do [[ -c $L/dev/gpu$i ]] || mknod "$L/dev/gpu$i" c 1 3; done
  local host
  host=$(hostname)
  cat >"$L/slurm.conf" <<CONF
ClusterName=lab
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$L/state
SlurmdSpoolDir=$L/spool/%n
SlurmctldPidFile=$L/slurmctld.pid
SlurmdPidFile=$L/slurmd-%n.pid
SlurmctldLogFile=$L/slurmctld.log
SlurmdLogFile=$L/slurmd-%n.log
SlurmctldPort=${SLURMCTLD_PORT:-16817}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=bf_interval=1,sched_interval=2
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$L/jobcomp.txt
MpiDefault=none
ReturnToService=2
SlurmdParameters=config_overrides
KillWait=5
MinJobAge=600
GresTypes=gpu
Licenses=gpu_pool:2,gpu_one:1
NodeName=node1 NodeHostname=$host Port=${SLURMD_PORT1:-17001} CPUs=4 RealMemory=2000 Gres=gpu:2 State=UNKNOWN
NodeName=node2 NodeHostname=$host Port=${SLURMD_PORT2:-17002} CPUs=4 RealMemory=2000 Gres=gpu:1 State=UNKNOWN
PartitionName=debug Nodes=node1,node2 Default=YES MaxTime=INFINITE State=UP
CONF
  cat >"$L/gres.conf" <<CONF
NodeName=node1 Name=gpu File=$L/dev/gpu[0-1]
NodeName=node2 Name=gpu File=$L/dev/gpu2
CONF
  slurmctld -c
  slurmd -N node1
  slurmd -N node2
  for _ in $(seq 100); do
    [[ $(sinfo -h -N -o '%T' 2>/dev/null | grep -c idle) == 2 ]] && return 0
    sleep 0.2
  done
  echo "slurm: the nodes did not come up; see $L/*.log" >&2
  sinfo -N >&2 || true
  return 1
}

case $cmd in
start) start ;;
stop) stop ;;
*) echo "usage: cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
