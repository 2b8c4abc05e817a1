import type { CliIo, ExitCode } from '../cli-io.js'

/** A command that runs: `sec sign`, `sec webhook verify`, `sec keys generate jwk`. */
export interface Command {
  readonly kind: 'command'
  /** One line, after `Usage:`: the command with its required flags, e.g. `sec sign --url <url> [options]`. */
  readonly usage: string
  /** The full help text (`--help`). */
  readonly help: string
  /** Runs with the arguments after the command's name. Throws `UsageError` for a wrong call. */
  run(args: readonly string[], io: CliIo): Promise<ExitCode>
}

/** A command made of subcommands: `sec`, `sec webhook`, `sec keys generate`. */
export interface CommandGroup {
  readonly kind: 'group'
  readonly usage: string
  readonly help: string
  readonly commands: Readonly<Record<string, Command | CommandGroup>>
}

/** Writes a verdict's refusal line: `INVALID <reason>: <detail>` on standard error. */
export function refuse(io: CliIo, reason: string, detail: string): ExitCode {
  io.stderr.write(`INVALID ${reason}: ${detail}\n`)
  return 1
}
