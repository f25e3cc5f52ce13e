/**
 * Whether a process exists on this host.
 */

/**
 * Whether process `pid` (or, given as a negative number, process group `-pid`) is alive; EPERM means
 * it exists but belongs to someone else.
 *
 * @example
 * ```ts
 * pidAlive(process.pid); // true
 * ```
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
