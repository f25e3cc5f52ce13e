/**
 * Machine-wide GPU leases shared by every `updraft run` on the machine: one lock file per GPU
 * index in a shared directory. A lease file appears whole and exclusively (a fully written
 * temporary file is hard-linked to the lock name, which fails with EEXIST like O_EXCL), so a reader
 * never sees half a lease. A lease whose runner and stage process are both dead is reclaimed.
 */
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { chmodSync, closeSync, linkSync, mkdirSync, openSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ageMs, holderAlive, isMine, parseHolder, readText, unlinkQuiet, type LeaseHolder } from "./lease-file.js";
import { processStartTime } from "../process/proc.js";

export type { LeaseHolder };

/**
 * The lock directory: `UPDRAFT_LOCK_DIR`, else `updraft-gpu-leases` under the system temp dir.
 *
 * @example
 * ```ts
 * defaultLockDir({}); // "/tmp/updraft-gpu-leases"
 * ```
 */
export function defaultLockDir(env: Readonly<Record<string, string | undefined>>): string {
  return env.UPDRAFT_LOCK_DIR || path.join(os.tmpdir(), "updraft-gpu-leases");
}

/** Wakes waiters in this process as soon as a lease is released here. */
const released = new EventEmitter().setMaxListeners(0);

/**
 * GPUs held by one stage attempt.
 *
 * @example
 * ```ts
 * const lease = await pool.acquire(1, { runId, stage: "train" }, signal, showWaiting);
 * env.CUDA_VISIBLE_DEVICES = lease.gpus.join(",");
 * lease.release();
 * ```
 */
export class Lease {
  constructor(
    private readonly pool: GpuPool,
    readonly gpus: readonly number[],
    private holders: LeaseHolder[],
  ) {}

  /** Record the stage's process, so the lease outlives a crashed runner while the stage runs. */
  setChild(pid: number): void {
    this.holders = this.holders.map((h) => ({ ...h, childPid: pid }));
    for (const h of this.holders) this.pool.rewrite(h);
  }

  release(): void {
    for (const h of this.holders) this.pool.drop(h);
    this.holders = [];
    released.emit("release");
  }
}

/**
 * The pool of GPU slots `0..count-1`, backed by lock files in `dir`.
 *
 * @example
 * ```ts
 * const pool = new GpuPool(defaultLockDir(process.env), 1);
 * ```
 */
export class GpuPool {
  constructor(
    readonly dir: string,
    readonly count: number,
    private readonly pollMs = 200,
  ) {}

  /**
   * Take `n` GPUs, all at once (never holding some while waiting for others, so two runs cannot
   * deadlock). `onWait` is told who holds them whenever that changes. Rejects when `signal` aborts.
   */
  async acquire(
    n: number,
    who: { runId: string; stage: string },
    signal: AbortSignal,
    onWait: (holders: LeaseHolder[]) => void,
  ): Promise<Lease> {
    this.ensureDir();
    let shown = "";
    for (;;) {
      signal.throwIfAborted();
      const got = this.tryAcquire(n, who);
      if ("lease" in got) return got.lease;
      const key = got.holders.map((h) => `${h.gpu}:${h.runId}:${h.stage}:${h.pid}`).join(",");
      if (key !== shown) onWait(got.holders);
      shown = key;
      const ac = new AbortController();
      const wake = () => ac.abort();
      released.once("release", wake);
      signal.addEventListener("abort", wake, { once: true });
      await sleep(this.pollMs, undefined, { signal: ac.signal }).catch(() => undefined);
      released.off("release", wake);
      signal.removeEventListener("abort", wake);
    }
  }

  private tryAcquire(n: number, who: { runId: string; stage: string }): { lease: Lease } | { holders: LeaseHolder[] } {
    const taken: LeaseHolder[] = [];
    const holders: LeaseHolder[] = [];
    for (let gpu = 0; gpu < this.count && taken.length < n; gpu++) {
      const mine: LeaseHolder = {
        gpu,
        pid: process.pid,
        pidStart: processStartTime(process.pid),
        host: os.hostname(),
        ...who,
        since: new Date().toISOString(),
        childPid: null,
      };
      const holder = this.take(mine);
      if (holder === null) taken.push(mine);
      else holders.push(holder);
    }
    if (taken.length === n)
      return {
        lease: new Lease(
          this,
          taken.map((h) => h.gpu),
          taken,
        ),
      };
    for (const h of taken) this.drop(h);
    return { holders };
  }

  /** Take one GPU: null on success, else its live holder. */
  private take(mine: LeaseHolder): LeaseHolder | null {
    const file = this.file(mine.gpu);
    for (let tries = 0; tries < 3; tries++) {
      const tmp = path.join(this.dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}`);
      writeFileSync(tmp, JSON.stringify(mine));
      try {
        linkSync(tmp, file);
        return null;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      } finally {
        unlinkSync(tmp);
      }
      const text = readText(file);
      if (text === null) continue;
      const holder = parseHolder(text, mine.gpu);
      if (holder && holderAlive(holder)) return holder;
      this.reclaim(file, text);
    }
    return parseHolder(readText(file) ?? "", mine.gpu) ?? { ...mine, runId: "(unknown)", stage: "(unknown)", pid: 0 };
  }

  /** Remove a dead holder's lease, unless someone replaced it meanwhile. */
  private reclaim(file: string, staleText: string): void {
    const mutex = `${file}.reclaim`;
    try {
      closeSync(openSync(mutex, "wx"));
    } catch {
      // Another process is reclaiming it; a mutex left by a crash is cleared after a while.
      if (ageMs(mutex) > 10_000) unlinkQuiet(mutex);
      return;
    }
    try {
      if (readText(file) === staleText) unlinkQuiet(file);
    } finally {
      unlinkQuiet(mutex);
    }
  }

  /** Replace our own lease file (we hold it, so a rename over it is safe). */
  rewrite(holder: LeaseHolder): void {
    const file = this.file(holder.gpu);
    if (!isMine(readText(file), holder)) return;
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(holder));
    renameSync(tmp, file);
  }

  drop(holder: LeaseHolder): void {
    const file = this.file(holder.gpu);
    if (isMine(readText(file), holder)) unlinkQuiet(file);
  }

  private file(gpu: number): string {
    return path.join(this.dir, `gpu-${gpu}.lock`);
  }

  private ensureDir(): void {
    // World-writable and sticky like /tmp, so runs of every user on the machine share it.
    if (mkdirSync(this.dir, { recursive: true }) !== undefined) {
      try {
        chmodSync(this.dir, 0o1777);
      } catch {
        // Not ours to change; it still works for this user.
      }
    }
  }
}
