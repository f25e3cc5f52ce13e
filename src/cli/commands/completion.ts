/**
 * `updraft completion bash|zsh`: a completion script written from the commands and options the
 * CLI declares, so it cannot fall behind them. Run ids are read from the runs folder when the
 * user presses Tab; pipeline files complete as files.
 */
import type { Argument, Command, Option } from "commander";
import type { CliContext } from "../context.js";
import { CliError } from "../errors.js";
import { shellWord } from "../../common/shell.js";

const SHELLS = ["bash", "zsh"] as const;

/** Words a positional argument completes to, by its name; files when there is no entry. */
const ARGUMENT_WORDS: Readonly<Record<string, string>> = {
  target: "airflow slurm",
  shell: SHELLS.join(" "),
};

const RUN_IDS = `_updraft_run_ids() {
  local dir="\${UPDRAFT_RUNS_DIR:-.updraft/runs}"
  printf '%s\\n' latest
  [ -d "$dir" ] && command ls -1 "$dir" 2>/dev/null | grep -v '^\\.'
}`;

function optionWords(cmd: Command): string {
  const flags = (cmd.options as readonly Option[]).flatMap((o) => [o.short, o.long].filter((f) => f !== undefined));
  return [...flags, "--help"].join(" ");
}

/** The `case` branch completing one argument position of a command. */
function argumentCase(arg: Argument): string {
  if (arg.argChoices) return `COMPREPLY=( $(compgen -W ${shellWord(arg.argChoices.join(" "))} -- "$cur") )`;
  if (arg.name() === "run-id") return `COMPREPLY=( $(compgen -W "$(_updraft_run_ids)" -- "$cur") )`;
  const words = ARGUMENT_WORDS[arg.name()];
  if (words) return `COMPREPLY=( $(compgen -W ${shellWord(words)} -- "$cur") )`;
  return `COMPREPLY=( $(compgen -f -- "$cur") )`;
}

/** The completion of one command: its options, its value options' choices, its arguments by position. */
function commandBody(cmd: Command, depth: number): string[] {
  const lines: string[] = [];
  const subs = cmd.commands as readonly Command[];
  const choices = (cmd.options as readonly Option[]).filter((o) => o.argChoices && o.long);
  for (const o of choices)
    lines.push(
      `if [[ $prev == ${o.long} ]]; then COMPREPLY=( $(compgen -W ${shellWord(o.argChoices!.join(" "))} -- "$cur") ); return; fi`,
    );
  const valued = (cmd.options as readonly Option[]).filter((o) => (o.required || o.optional) && !o.argChoices);
  const valueFlags = valued.flatMap((o) => [o.short, o.long].filter((f) => f !== undefined));
  if (valueFlags.length > 0)
    lines.push(`case $prev in ${valueFlags.join("|")}) COMPREPLY=( $(compgen -f -- "$cur") ); return ;; esac`);
  lines.push(
    `if [[ $cur == -* ]]; then COMPREPLY=( $(compgen -W ${shellWord(optionWords(cmd))} -- "$cur") ); return; fi`,
  );
  if (subs.length > 0) {
    const names = subs.map((s) => s.name()).join(" ");
    lines.push(`if (( pos == ${depth} )); then COMPREPLY=( $(compgen -W ${shellWord(names)} -- "$cur") ); return; fi`);
    lines.push(`case \${words[${depth}]} in`);
    for (const sub of subs)
      lines.push(`  ${sub.name()})`, ...commandBody(sub, depth + 1).map((l) => `    ${l}`), "  ;;");
    lines.push("esac");
    return lines;
  }
  const args = cmd.registeredArguments;
  if (args.length > 0) {
    lines.push("case $(( pos - " + depth + " )) in");
    args.forEach((a, i) => lines.push(`  ${a.variadic ? "*" : i}) ${argumentCase(a)} ;;`));
    lines.push("esac");
  }
  return lines;
}

/**
 * The bash completion script: `_updraft` completes commands, their options and arguments.
 *
 * @example
 * ```ts
 * process.stdout.write(bashScript(program)); // eval "$(updraft completion bash)"
 * ```
 */
export function bashScript(program: Command): string {
  const commands = (program.commands as readonly Command[]).filter((c) => c.name() !== "help");
  const lines = [
    "# updraft completion for bash: add to ~/.bashrc",
    '#   eval "$(updraft completion bash)"',
    RUN_IDS,
    "_updraft() {",
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
    // Positional words only: options and the values of value options do not count as positions.
    "  local -a words=() ; local i w pos=0",
    "  for (( i = 1; i < COMP_CWORD; i++ )); do",
    '    w="${COMP_WORDS[i]}"',
    "    [[ $w == -* ]] && continue",
    '    case "${COMP_WORDS[i-1]}" in',
    `      ${valueFlagsOf(program).join("|") || "--"}) continue ;;`,
    "    esac",
    '    words+=("$w")',
    "  done",
    "  pos=${#words[@]}",
    "  if (( pos == 0 )); then",
    `    COMPREPLY=( $(compgen -W ${shellWord([...commands.map((c) => c.name()), "--help", "--version"].join(" "))} -- "$cur") )`,
    "    return",
    "  fi",
    "  case ${words[0]} in",
  ];
  for (const cmd of commands)
    lines.push(`    ${cmd.name()})`, ...commandBody(cmd, 1).map((l) => `      ${l}`), "    ;;");
  lines.push("  esac", "}", "complete -o default -F _updraft updraft", "");
  return lines.join("\n");
}

/** Every option of every command that takes a value. */
function valueFlagsOf(cmd: Command): string[] {
  const own = (cmd.options as readonly Option[])
    .filter((o) => o.required || o.optional)
    .flatMap((o) => [o.short, o.long].filter((f): f is string => f !== undefined));
  return [...new Set([...own, ...(cmd.commands as readonly Command[]).flatMap(valueFlagsOf)])].sort();
}

/**
 * zsh completion: the bash script through zsh's bash-completion layer (`bashcompinit`).
 *
 * @example
 * ```ts
 * process.stdout.write(zshScript(program)); // eval "$(updraft completion zsh)"
 * ```
 */
export function zshScript(program: Command): string {
  return [
    "# updraft completion for zsh: add to ~/.zshrc (after compinit)",
    '#   eval "$(updraft completion zsh)"',
    "autoload -U +X compinit && compinit",
    "autoload -U +X bashcompinit && bashcompinit",
    bashScript(program).split("\n").slice(2).join("\n"),
  ].join("\n");
}

/**
 * Register `updraft completion bash|zsh`.
 *
 * @example
 * ```ts
 * registerCompletion(program, { self: null, exitCode: 0 });
 * ```
 */
export function registerCompletion(program: Command, _ctx: CliContext): void {
  program
    .command("completion")
    .description('print a shell completion script: eval "$(updraft completion bash)" in ~/.bashrc (or zsh, ~/.zshrc)')
    .argument("<shell>", SHELLS.join(" or "))
    .action((shell: string) => {
      if (shell !== "bash" && shell !== "zsh")
        throw new CliError(`no completion for the shell "${shell}"`, { hint: `give one of: ${SHELLS.join(", ")}` });
      process.stdout.write(shell === "bash" ? bashScript(program) : zshScript(program));
    });
}
