"""Slurm-only checks of GPUs and run limits, on the cluster run.sh started (node1: 2 GPUs, node2: 1;
licenses gpu_pool:2 and gpu_one:1):

- three independent one-GPU stages run at once, spread over both nodes, each on its own GPU
  (a stage lands only on a node with a free GPU; independent GPU stages run on two nodes at once);
- two concurrent runs sharing a GPU license of one never overlap;
- two runs of a pipeline with maxActiveRuns 1 never overlap (singleton).

  python3 test/slurm/gpus.py WORK    (from the repository root)
"""
import glob
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from check import UPDRAFT, submit, suite, wait_for_run  # noqa: E402  (test/slurm/check.py)


def export(work, name, *extra):
    where = os.path.join(work, name + ("-licensed" if extra else ""))
    out, project = os.path.join(where, "export"), os.path.join(where, "project")
    os.makedirs(project, exist_ok=True)
    pipeline = os.path.join(HERE, "pipelines", name + ".ts")
    subprocess.run(UPDRAFT + ["export", "slurm", pipeline, "--out", out, "--project-dir", project, *extra],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return out, project


def submit_runs(work, name, count, *extra):
    out, project = export(work, name, *extra)
    with open(os.path.join(work, name + ".log"), "wb") as log:
        runs = [submit(out, project, {}, {}, log) for _ in range(count)]
    done = all(r is not None and wait_for_run(r, 300) for r in runs)
    return project, runs, done


def intervals(project):
    found = []
    for path in glob.glob(os.path.join(project, "out", "*.times")):
        start, end = open(path, encoding="utf-8").read().split()
        found.append((float(start), float(end)))
    return sorted(found)


def check_spread(c, work):
    project, _, done = submit_runs(work, "spread", 1)
    c.check(done, "spread: the run ended")
    starts, ends = {}, {}
    for g in ("g1", "g2", "g3"):
        try:
            node, gpus, start = open(os.path.join(project, "out", g + ".start"), encoding="utf-8").read().split()
            starts[g] = (node, gpus, float(start))
            ends[g] = float(open(os.path.join(project, "out", g + ".end"), encoding="utf-8").read())
        except (OSError, ValueError) as error:
            c.check(False, "spread: %s recorded where and when it ran" % g, str(error))
            return
    held = sorted((node, gpus) for node, gpus, _ in starts.values())
    c.check(held == [("node1", "0"), ("node1", "1"), ("node2", "0")], "spread: each stage on a GPU of its own, node1 two, node2 one", str(held))
    c.check(max(s for _, _, s in starts.values()) < min(ends.values()), "spread: the three GPU stages ran at once on two nodes", str(starts))


def check_no_overlap(c, work, name, what, *extra, overlap=False):
    project, runs, done = submit_runs(work, name, 2, *extra)
    c.check(done, "%s: both runs ended" % name)
    times = intervals(project)
    if not c.check(len(times) == 2, "%s: both runs recorded their stage" % name, str(times)):
        return
    c.check((times[0][1] > times[1][0]) == overlap, "%s: %s" % (name, what), str(times))


def main():
    work = os.path.abspath(sys.argv[1])
    os.makedirs(work, exist_ok=True)
    c = suite.Checks("slurm-gpus")
    print("slurm-gpus: spread", flush=True)
    check_spread(c, work)
    print("slurm-gpus: pool", flush=True)
    check_no_overlap(c, work, "pool", "two runs sharing a GPU license of one never overlap", "--gpu-license", "gpu_one")
    # The control: without the license the same two runs overlap, so the license is what kept them apart.
    check_no_overlap(c, work, "pool", "without the license the two runs overlap (3 GPUs free)", overlap=True)
    print("slurm-gpus: single", flush=True)
    check_no_overlap(c, work, "single", "two runs of a pipeline with maxActiveRuns 1 never overlap")
    print("slurm-gpus: %d passed, %d failed" % (c.passed, c.failed), flush=True)
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
