/**
 * A small helper process that starts stage processes for the runner. Starting a process forks the
 * parent, and on Linux that costs in proportion to the parent's memory: from the runner (over
 * 100 MB under tsx) a fork costs about twice what it costs from a bare node process. Stages whose
 * output goes straight to their log file are started here; the runner still owns their process
 * groups (it signals them by pgid) and hears when they exit. The helper exits when the runner's
 * IPC channel closes, even after a `kill -9` of the runner. The helper is a node process, so it
 * takes about 100 ms to boot: it starts with the first stage, and until it says it is ready the
 * runner starts stages itself, the same way (`startLogged`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { groupAlive } from "./proc.js";

/** What `startLogged` needs from node, passed in so that its source stands alone. */
interface StartDeps {
  spawn: typeof spawn;
  openSync: typeof openSync;
  closeSync: typeof closeSync;
}

/**
 * Start one request, output appended to its log, as the leader of a new process group, and report
 * through `send`. It runs in the helper, which gets it as source text (`String(startLogged)`), and
 * in the runner while the helper boots; so it uses nothing but its arguments.
 */
function startLogged(
  m: SpawnRequest & { id: number },
  base: Readonly<Record<string, string>>,
  send: (message: Message) => void,
  node: StartDeps,
): void {
  let fd: number | null = null;
  try {
    fd = node.openSync(m.log, "a");
    const child = node.spawn(m.file, [...m.args], {
      cwd: m.cwd,
      env: { ...base, ...m.env },
      detached: true,
      stdio: ["ignore", fd, fd],
    });
    let ended = false;
    child.on("error", (e: Error) => {
      if (!ended) send({ t: "error", id: m.id, message: e.message });
      ended = true;
    });
    child.on("exit", (code: number | null, signal: NodeJS.Signals | null) => {
      if (!ended) send({ t: "exit", id: m.id, code, signal });
      ended = true;
    });
    if (child.pid !== undefined) send({ t: "spawned", id: m.id, pid: child.pid });
  } catch (e) {
    send({ t: "error", id: m.id, message: (e as Error).message });
  } finally {
    if (fd !== null) node.closeSync(fd);
  }
}

/** The helper's source: CommonJS for `node -e`, only node built-ins, no tsx. It says when it is ready. */
const HELPER = String.raw`"use strict";
const node = { spawn: require("node:child_process").spawn, ...require("node:fs") };
const startLogged = ${String(startLogged)};
// A runner gone before the message leaves is no error: the callback takes the failure.
const send = (m) => { if (process.connected) process.send(m, () => undefined); };
let base = {};
process.on("message", (m) => {
  if (m.base) base = m.base;
  else startLogged(m, base, send, node);
});
process.on("disconnect", () => process.exit(0));
send({ t: "ready" });
`;

/** What to start: the process writes stdout and stderr to `log` (appended). */
export interface SpawnRequest {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Added to (and overriding) the spawner's base environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly log: string;
}

/** A started process as seen through the helper. */
export interface Launched {
  /** Resolves to the pid once started, or rejects with why it could not start. */
  readonly pid: Promise<number>;
  /** Resolves when the process exits (or, for one that never started, at once). */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

type Message =
  | { t: "ready" }
  | { t: "spawned"; id: number; pid: number }
  | { t: "error"; id: number; message: string }
  | { t: "exit"; id: number; code: number | null; signal: NodeJS.Signals | null };

type End = { code: number | null; signal: NodeJS.Signals | null };

interface Pending {
  pid: number | null;
  /** Started by the runner itself (the helper was booting): its exit does not depend on the helper. */
  local?: boolean;
  started: (pid: number) => void;
  failed: (error: Error) => void;
  exited: (end: End) => void;
}

/**
 * The helper, started on first use.
 *
 * @example
 * ```ts
 * const spawner = new Spawner(process.env);
 * const p = spawner.launch({ file: "true", args: [], cwd: ".", env: {}, log: "/tmp/x.log" });
 * await p.exit;
 * spawner.close();
 * ```
 */
export class Spawner {
  private child: ChildProcess | null = null;
  /** The helper said it is ready: requests go to it from then on. */
  private ready = false;
  private broken = false;
  private next = 0;
  private readonly pending = new Map<number, Pending>();

  /** `base`: the environment every process starts from (sent to the helper once). */
  constructor(private readonly base: Readonly<Record<string, string>>) {}

  /** Whether the helper can take requests (false once it died: callers start processes themselves). */
  get usable(): boolean {
    return !this.broken;
  }

  launch(request: SpawnRequest): Launched {
    const id = this.next++;
    const entry = { pid: null } as Pending;
    const pid = new Promise<number>((resolve, reject) => {
      entry.started = (n) => resolve((entry.pid = n));
      entry.failed = reject;
    });
    const exit = new Promise<End>((resolve) => (entry.exited = resolve));
    pid.catch(() => undefined);
    this.pending.set(id, entry);
    this.hold();
    // Until the helper has booted (a node process: about 100 ms), stages start from here at once;
    // the first one starts before the helper does, which costs the runner a fork of its own.
    if (!this.ready) {
      entry.local = true;
      startLogged({ id, ...request }, this.base, (m) => this.receive(m), { spawn, openSync, closeSync });
      this.warm();
    } else
      this.helper().send({ id, ...request }, (error) => {
        if (error) this.lost();
      });
    return { pid, exit };
  }

  /** Whether the helper has booted: requests go to it (before that, they start from the runner). */
  get booted(): boolean {
    return this.ready;
  }

  /** Start the helper now (`launch` does on first use). */
  warm(): void {
    if (this.broken) return;
    this.helper();
    this.hold();
  }

  /** Stop the helper (it exits when its channel closes). */
  close(): void {
    if (this.child?.connected) this.child.disconnect();
    this.child = null;
  }

  private helper(): ChildProcess {
    if (this.child) return this.child;
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, ["-e", HELPER], { stdio: ["ignore", "ignore", "inherit", "ipc"], env });
    child.on("message", (m: Message) => this.receive(m));
    child.send({ base: this.base });
    child.on("exit", () => this.lost());
    child.on("error", () => this.lost());
    // The runner must be able to finish while the helper idles; pending work keeps it alive anyway.
    child.unref();
    (child.channel as { unref?: () => void } | undefined)?.unref?.();
    this.child = child;
    return child;
  }

  /** Keep the runner alive exactly while processes started here are pending. */
  private hold(): void {
    const channel = this.child?.channel as { ref?: () => void; unref?: () => void } | undefined;
    if (this.pending.size > 0) channel?.ref?.();
    else channel?.unref?.();
  }

  private receive(m: Message): void {
    if (m.t === "ready") {
      this.ready = true;
      return;
    }
    const entry = this.pending.get(m.id);
    if (!entry) return;
    if (m.t === "spawned") return entry.started(m.pid);
    this.pending.delete(m.id);
    this.hold();
    if (m.t === "error") {
      entry.failed(new Error(m.message));
      entry.exited({ code: null, signal: null });
    } else entry.exited({ code: m.code, signal: m.signal });
  }

  /**
   * The helper died (it should not): fail what it had not started; for what it had, wait until
   * the process group is gone, since its exit code can no longer be known.
   */
  private lost(): void {
    if (this.child === null) return;
    this.broken = true;
    this.child = null;
    for (const [id, entry] of this.pending) {
      if (entry.local) continue;
      this.pending.delete(id);
      if (entry.pid === null) {
        entry.failed(new Error("the process starter exited"));
        entry.exited({ code: null, signal: null });
        continue;
      }
      const pgid = entry.pid;
      const poll = setInterval(() => {
        if (groupAlive(pgid)) return;
        clearInterval(poll);
        entry.exited({ code: null, signal: null });
      }, 100);
    }
  }
}
