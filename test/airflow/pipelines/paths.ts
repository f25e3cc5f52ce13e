/**
 * Declared paths as ML data has them, checked by every executor as `updraft run` checks them: a glob
 * output, a directory output (a tree, with a link inside that is not followed), a symlink output (by
 * its target) are there; a FIFO output, a directory with a FIFO inside, a dangling link and a glob
 * that matches nothing are missing outputs, failed without a retry.
 */
import { pipeline, sh } from "../../../src/index.js";
import { ok, type Fixture } from "../suite.js";

export const paths = pipeline("uf_paths", { description: "Globs, trees, links and FIFOs as outputs." }, ({ stage }) => {
  const globOut = stage("glob_out", {
    command: sh`mkdir -p out && echo a > out/a.csv && echo b > out/b.csv`,
    outputs: ["out/*.csv"],
  });
  const treeOut = stage("tree_out", {
    command: sh`mkdir -p tree/sub && echo w > tree/sub/w.bin && ln -sfn . tree/loop`,
    outputs: ["tree"],
  });
  const linkOut = stage("link_out", {
    command: sh`echo x > target.txt && ln -sf target.txt link.txt`,
    outputs: ["link.txt"],
  });
  stage("reads_all", {
    command: sh`cat out/*.csv tree/sub/w.bin link.txt > all.txt`,
    inputs: ["out/*.csv", "tree", "link.txt"],
    outputs: ["all.txt"],
    dependsOn: [globOut, treeOut, linkOut],
  });
  const retry = { retries: 1, delay: "1s" } as const;
  stage("fifo_out", { command: sh`rm -f pipe.out && mkfifo pipe.out`, outputs: ["pipe.out"], retry });
  stage("tree_fifo", { command: sh`mkdir -p bad && rm -f bad/p && mkfifo bad/p`, outputs: ["bad"], retry });
  stage("dangling", { command: sh`ln -sf nowhere dangling.txt`, outputs: ["dangling.txt"], retry });
  stage("glob_none", { command: ["true"], outputs: ["none/*.csv"], retry });
});
export default paths;

const missing = { status: "failed", attempts: ["missing-output"] } as const;

export const fixture: Fixture = {
  cases: [
    {
      name: "paths",
      stages: {
        glob_out: ok,
        tree_out: ok,
        link_out: ok,
        reads_all: ok,
        fifo_out: missing,
        tree_fifo: missing,
        dangling: missing,
        glob_none: missing,
      },
      files: { "all.txt": "a\nb\nw\nx\n" },
    },
  ],
};
