/**
 * The root module `updraft` is a curated API: what a pipeline file needs (the builder, its types,
 * the Plan and runCli). Its export list is pinned here, values and types, so that it grows only on
 * purpose; running, records and exporting live behind `updraft/local`, `/history`, `/gates`,
 * `/airflow` and `/slurm`.
 */
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "./cli/helpers.js";

/** Every name a module exports, as the compiler sees it (values and types alike), sorted. */
function exportsOf(file: string): string[] {
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const symbol = source && checker.getSymbolAtLocation(source);
  if (!symbol) throw new Error(`no module symbol for ${file}`);
  return checker
    .getExportsOfModule(symbol)
    .map((s) => s.name)
    .sort();
}

describe("the root module's exports", () => {
  it("GIVEN src/index.ts WHEN its exports are listed THEN they are exactly the curated list", async () => {
    const names = exportsOf(path.join(ROOT, "src/index.ts"));
    expect(names).toMatchInlineSnapshot(`
      [
        "AirflowSettings",
        "Arg",
        "Command",
        "DateText",
        "Duration",
        "FileRules",
        "Gate",
        "GateOptions",
        "Interpolation",
        "MetricPath",
        "MetricRules",
        "MetricValue",
        "NumericRules",
        "OptionalArg",
        "OptionalArgument",
        "PLAN_VERSION",
        "Param",
        "ParamDecl",
        "ParamDecls",
        "ParamKind",
        "ParamOptions",
        "ParamPart",
        "ParamRef",
        "ParamRefs",
        "ParamType",
        "ParamValue",
        "Pipeline",
        "PipelineAirflowOptions",
        "PipelineBuilder",
        "PipelineInfo",
        "PipelineMeta",
        "PipelineOptions",
        "Plan",
        "PlanInput",
        "PlanResult",
        "PlanSchema",
        "Problem",
        "ProblemCode",
        "Retry",
        "RetryOptions",
        "Rule",
        "RuleBuilder",
        "ShellCommand",
        "Source",
        "Stage",
        "StageDefaults",
        "StageOptions",
        "StageRef",
        "StringRules",
        "Template",
        "TemplateValue",
        "TextInput",
        "ValueRules",
        "isPipeline",
        "optional",
        "param",
        "pipeline",
        "plan",
        "planFromJson",
        "ruleBuilder",
        "runCli",
        "sh",
        "t",
      ]
    `);
    // AND the values among them are what the built module really exports
    const runtime = Object.keys(await import("../src/index.js")).sort();
    expect(names).toEqual(expect.arrayContaining(runtime));
    expect(runtime).toMatchInlineSnapshot(`
      [
        "PLAN_VERSION",
        "PlanSchema",
        "isPipeline",
        "optional",
        "param",
        "pipeline",
        "plan",
        "planFromJson",
        "ruleBuilder",
        "runCli",
        "sh",
        "t",
      ]
    `);
  });
});
