/**
 * Processes an interrupted run left behind. Stage processes lead their own process groups, so a
 * runner killed with `kill -9` leaves them running; before its stages run again, resuming stops
 * them (SIGTERM, then SIGKILL after the grace period), found by the UPDRAFT_RUN_ID they inherited.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Manifest } from "../../../records/manifest.js";
import { groupAlive, processesWithEnv, signalGroup } from "./proc.js";

/**
 * Stop what run `resumed` left running; returns a line for each process group stopped.
 *
 * @example
 * ```ts
 * const notes = await stopLeftovers(manifest, 5000); // ["stopped process group 4242 left by run ..."]
 * ```
 */
export async function stopLeftovers(resumed: Manifest, graceMs: number): Promise<string[]> {
  const groups = [...new Set(processesWithEnv("UPDRAFT_RUN_ID", resumed.runId).map((p) => p.pgrp))];
  for (const g of groups) signalGroup(g, "SIGTERM");
  const until = performance.now() + graceMs;
  while (groups.some(groupAlive) && performance.now() < until) await sleep(50);
  for (const g of groups) if (groupAlive(g)) signalGroup(g, "SIGKILL");
  return groups.map((g) => `stopped process group ${g}, left running by interrupted run ${resumed.runId}`);
}
