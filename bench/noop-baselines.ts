/**
 * The other tools' side of bench/noop.bench.ts: a Makefile, a DVC project and a Snakefile doing the
 * same work as the updraft plans, so that each no-op figure has a baseline measured in the same run.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";

/**
 * A Makefile with `big.out` (one prerequisite, the large file), `many.out` (the 10,000-file
 * directory as one prerequisite plus a stamp that `find` refreshes when a file inside is newer, as
 * one would write it by hand; not 10,000 prerequisites) and a chain `c0.mk.out` .. `c{n-1}.mk.out`.
 *
 * @example
 * ```ts
 * writeMakefile(work, 100); // then `make -s many.out`
 * ```
 */
export function writeMakefile(work: string, chain: number): void {
  const rules = [
    "NEWER := $(shell find many -newer many.stamp -print -quit 2>/dev/null)",
    "big.out: big.bin\n\techo ok > big.out",
    "many.stamp: many $(if $(NEWER),FORCE)\n\ttouch many.stamp",
    "many.out: many.stamp\n\techo ok > many.out",
    "FORCE:",
    ...Array.from(
      { length: chain },
      (_, i) => `c${i}.mk.out:${i > 0 ? ` c${i - 1}.mk.out` : ""}\n\techo ${i} > c${i}.mk.out`,
    ),
  ];
  writeFileSync(path.join(work, "Makefile"), `${rules.join("\n")}\n`);
}

/**
 * A Snakefile with the same chain: rule `c{i}` writes `c{i}.smk.out` from the one before.
 *
 * @example
 * ```ts
 * writeSnakefile(work, 100); // then `snakemake c99.smk.out -c1 --quiet all`
 * ```
 */
export function writeSnakefile(work: string, chain: number): void {
  const rules = Array.from({ length: chain }, (_, i) =>
    [
      `rule c${i}:`,
      ...(i > 0 ? [`    input: "c${i - 1}.smk.out"`] : []),
      `    output: "c${i}.smk.out"`,
      `    shell: "echo ${i} > {output}"`,
      "",
    ].join("\n"),
  );
  writeFileSync(path.join(work, "Snakefile"), rules.join("\n"));
}

/**
 * The DVC stages (`dvc stage add` arguments) doing what the updraft plans `big` and `many` do.
 *
 * @example
 * ```ts
 * for (const args of dvcStages()) run(dvc, ["stage", "add", "-q", ...args]);
 * ```
 */
export function dvcStages(): string[][] {
  return [
    ["-n", "big", "-d", "big.bin", "-o", "big.dvc.out", "echo ok > big.dvc.out"],
    ["-n", "many", "-d", "many", "-o", "many.dvc.out", "echo ok > many.dvc.out"],
  ];
}
