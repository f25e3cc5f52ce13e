/**
 * Commands no template engine, quoting layer or shell trick may change: every kind of quote,
 * Jinja syntax, bash's `${#arr[@]}`, backslashes, newlines, Unicode, `$HOME`, commands ending in
 * `.sh`, raw bytes in the output, and exit code 99 (Airflow's default "skipped" code).
 */
import { pipeline, sh } from "../../../src/index.js";
import { ok, upstreamFailed, type Fixture } from "../suite.js";

const HOSTILE = `q' q" q\` {{ x }} {% raw %} {# c #} {% endraw %} \${#arr[@]} $HOME $(id) back\\slash \\n tab\t ünï ✓ 日本 🚀 %s %% {{`;
const MULTILINE = "line one\nline 'two'\n\"three\"\n";
const WRITE_ARG = "import sys; open(sys.argv[1], 'w', encoding='utf-8').write(sys.argv[2])";
const BYTES = "import sys; sys.stdout.buffer.write(b'a\\r\\nb\\x00c\\xff\\xfe\\x1b[31m\\n' + 'ünï ✓\\n'.encode())";

/** A bash script taken as written, from a string (sh`...` with no placeholders). */
const script = (text: string) => sh(Object.assign([text], { raw: [text] }) as unknown as TemplateStringsArray);

const SCRIPT = [
  "mkdir -p out",
  "arr=(a b c)",
  "cat > out/script.txt <<'EOF'",
  "{{ x }} {% raw %} {# comment #} {% endraw %} $HOME \"double\" 'single' `back` \\ \\\\",
  "EOF",
  'echo "count=${#arr[@]}" >> out/script.txt',
  "printf '%s\\n' 'ünï ✓ 日本' \"$HOSTILE_ENV\" >> out/script.txt",
].join("\n");

export const hostile = pipeline(
  "uf_hostile",
  { description: "Hostile text arrives byte for byte {{ x }}." },
  ({ stage }) => {
    stage("argv", {
      command: ["python3", "-c", WRITE_ARG, "out/argv.txt", HOSTILE],
      description: `argv with ${HOSTILE}`,
    });
    stage("multiline", { command: ["python3", "-c", WRITE_ARG, "out/multiline.txt", MULTILINE] });
    stage("script", { command: script(SCRIPT), env: { HOSTILE_ENV: HOSTILE }, description: "see README.md" });
    stage("dot_sh_argv", { command: ["bash", "scripts/emit.sh"] });
    stage("dot_sh_shell", { command: script("bash scripts/emit.sh") });
    stage("bytes", { command: ["python3", "-c", BYTES] });
    const odd = stage("make_odd_dir", { command: ["mkdir", "-p", "odd dir {{ x }}"] });
    stage("in_odd_dir", { command: script('basename "$PWD" > here.txt'), cwd: "odd dir {{ x }}", dependsOn: [odd] });
    const exit99 = stage("exit99", { command: script("echo before 99; exit 99") });
    stage("after99", { command: ["true"], dependsOn: [exit99] });
  },
);
export default hostile;

export const fixture: Fixture = {
  assets: {
    "scripts/emit.sh": 'mkdir -p out\nprintf "emitted by %s\\n" "$UPDRAFT_STAGE" > "out/$UPDRAFT_STAGE.txt"\n',
    "out/.keep": "",
  },
  cases: [
    {
      name: "hostile",
      stages: {
        argv: ok,
        multiline: ok,
        script: ok,
        dot_sh_argv: ok,
        dot_sh_shell: ok,
        bytes: ok,
        make_odd_dir: ok,
        in_odd_dir: ok,
        exit99: { status: "failed", attempts: ["failed"] },
        after99: upstreamFailed,
      },
      files: {
        "out/argv.txt": HOSTILE,
        "out/multiline.txt": MULTILINE,
        "out/script.txt":
          "{{ x }} {% raw %} {# comment #} {% endraw %} $HOME \"double\" 'single' `back` \\ \\\\\ncount=3\nünï ✓ 日本\n" +
          HOSTILE +
          "\n",
        "out/dot_sh_argv.txt": "emitted by dot_sh_argv\n",
        "out/dot_sh_shell.txt": "emitted by dot_sh_shell\n",
        "odd dir {{ x }}/here.txt": "odd dir {{ x }}\n",
      },
      logs: {
        "bytes.1": Buffer.concat([
          Buffer.from([0x61, 0x0d, 0x0a, 0x62, 0x00, 0x63, 0xff, 0xfe, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x0a]),
          Buffer.from("ünï ✓\n"),
        ]),
        "exit99.1": "before 99\n",
      },
    },
  ],
};
