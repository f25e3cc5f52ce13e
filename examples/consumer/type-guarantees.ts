/**
 * What the installed types forbid. `tsc` fails if any of these lines compiles, so a package that
 * shipped without its declarations (everything `any`) would fail the type-check.
 */
import { param, pipeline, sh } from "updraft";

pipeline("guarantees", { params: { n: param.int({ default: 1 }) } }, ({ stage, params: p }) => {
  const a = stage("a", { command: sh`echo ${p.n}` });
  // @ts-expect-error dependsOn takes stage handles, not names
  stage("b", { command: ["true"], dependsOn: ["a"] });
  // @ts-expect-error a parameter that was never declared
  stage("c", { command: sh`echo ${p.missing}`, dependsOn: [a] });
  // @ts-expect-error a duration must be a number or text such as "10m"
  stage("d", { command: ["true"], timeout: "ten minutes" });
});
