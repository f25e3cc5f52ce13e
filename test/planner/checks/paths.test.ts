import { describe, expect, it } from "vitest";
import { pipeline, plan, type Pipeline } from "updraft";
import type { StageDefaults } from "../../../src/dsl/types.js";

type Decl = [id: string, outputs: string[], extra?: StageDefaults];

/** The problems of planning these stages, as "code stage: message | detail". */
function problems(...stages: Decl[]): string[] {
  const p: Pipeline = pipeline("paths", {}, ({ stage }) => {
    for (const [id, outputs, extra] of stages) stage(id, { command: ["true"], outputs, ...extra });
  });
  const result = plan(p);
  return result.ok
    ? []
    : result.problems.map((x) => `${x.code} ${x.stage}: ${x.message}${x.detail ? ` | ${x.detail}` : ""}`);
}

describe("paths outside the project", () => {
  it("GIVEN outputs and a cwd outside the project WHEN planned THEN each is refused with how to reach another disk", () => {
    const found = problems(
      ["up", ["../../etc/x"]],
      ["abs", ["/etc/passwd"]],
      ["root", ["x.txt"], { cwd: "/" }],
      ["sneaky", ["../../y.txt"], { cwd: "sub" }],
      ["fine", ["sub/../z.txt", "./a/b.txt"], { cwd: "deep/er" }],
    );
    expect(found).toMatchInlineSnapshot(`
      [
        "path-outside-project up: stage "up" writes output "../../etc/x", outside the project",
        "path-outside-project abs: stage "abs" writes output "/etc/passwd", outside the project",
        "path-outside-project root: stage "root" has cwd "/", outside the project",
        "path-outside-project sneaky: stage "sneaky" writes output "../../y.txt" (../y.txt), outside the project",
      ]
    `);
    const p = pipeline("hint", {}, ({ stage }) => {
      stage("a", { command: ["true"], outputs: ["/etc/passwd"] });
    });
    const result = plan(p);
    expect(result.ok ? null : result.problems[0]?.hint).toMatchInlineSnapshot(
      `"keep it inside the project (a relative path without leading ..); to use a disk elsewhere, link it in (ln -s /mnt/ckpt ckpt) and write to the link"`,
    );
  });
});

describe("one output under two spellings", () => {
  it("GIVEN x.txt and ./sub/../x.txt, or sub/x.txt and cwd sub + x.txt WHEN planned THEN both pairs are duplicates", () => {
    expect(
      problems(["a", ["x.txt"]], ["b", ["./sub/../x.txt"]], ["c", ["sub/x.txt"]], ["d", ["x.txt"], { cwd: "sub" }]),
    ).toMatchInlineSnapshot(`
      [
        "duplicate-output b: stages "a" and "b" both declare the output x.txt | written as "x.txt" by "a" and as "./sub/../x.txt" by "b"",
        "duplicate-output d: stages "c" and "d" both declare the output sub/x.txt | written as "sub/x.txt" by "c" and as "x.txt" in cwd "sub" by "d"",
      ]
    `);
  });

  it("GIVEN the same output text in two different cwds WHEN planned THEN they are two files", () => {
    expect(problems(["a", ["x.txt"], { cwd: "one" }], ["b", ["x.txt"], { cwd: "two" }])).toEqual([]);
  });
});
