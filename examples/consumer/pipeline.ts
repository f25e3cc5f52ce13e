/**
 * A pipeline in a project of its own, with updraft installed from npm (here: from `npm pack`).
 *
 *   npx updraft plan pipeline.ts
 *   npx updraft run pipeline.ts
 */
import { param, pipeline, runCli, sh, t } from "updraft";

export const consumer = pipeline(
  "consumer",
  {
    description: "Count the words of a text, check the count, keep a report.",
    params: {
      text: param.string({ default: "Процедура ОбработкаПроведения КонецПроцедуры", description: "the text to count" }),
      out: param.path({ default: "out", description: "output directory" }),
    },
  },
  ({ stage, qualityGate, params: p }) => {
    const count = stage("count", {
      command: sh`mkdir -p ${p.out} && n=$(printf '%s\n' ${p.text} | wc -w) && printf '{"words": %d}\n' "$n" > ${t`${p.out}/metrics.json`}`,
      outputs: [t`${p.out}/metrics.json`],
      retry: { retries: 1, delay: "1s" },
    });
    const enough = qualityGate("enough_words", {
      after: [count],
      metrics: t`${p.out}/metrics.json`,
      rules: (r) => [r.metric("words").gte(2)],
    });
    stage("report", { command: ["cat", t`${p.out}/metrics.json`], dependsOn: [enough], timeout: "30s" });
  },
);

export default consumer;
await runCli(consumer);
