/**
 * Optional argv items: `optional("--wandb", p.wandb)` is there only when the text is not empty,
 * `optional("--resume", p.resume)` only when the bool is true, with hostile values kept as one item.
 */
import { optional, param, pipeline } from "../../../src/index.js";
import { ok, type Fixture } from "../suite.js";

const WRITE_ARGS = "import sys; open(sys.argv[1], 'w', encoding='utf-8').write('\\n'.join(sys.argv[2:]) + '\\n')";

export const optionalArgs = pipeline(
  "uf_optional",
  {
    description: "Argv items that disappear with their parameter.",
    params: {
      wandb: param.string({ default: "" }),
      resume: param.bool({ default: false }),
      tag: param.string({ default: "" }),
    },
  },
  ({ stage, params: p }) => {
    stage("train", {
      command: [
        "python3",
        "-c",
        WRITE_ARGS,
        "args.txt",
        "start",
        optional("--wandb", p.wandb),
        optional("--resume", p.resume),
        optional(p.tag),
        "end",
      ],
    });
  },
);
export default optionalArgs;

const HOSTILE = `a b "{{ x }}" $HOME '`;

export const fixture: Fixture = {
  cases: [
    { name: "optional-unset", stages: { train: ok }, files: { "args.txt": "start\nend\n" } },
    {
      name: "optional-set",
      params: { wandb: HOSTILE, resume: true, tag: "--" },
      stages: { train: ok },
      files: { "args.txt": `start\n--wandb\n${HOSTILE}\n--resume\n--\nend\n` },
    },
  ],
};
