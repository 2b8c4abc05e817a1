import type { CliIo, ExitCode } from '../cli-io.js'
import { writePrivateFile } from '../files/read-input.js'

/**
 * Outputs a newly generated secret: on standard output, or into the new file `--out` names with
 * mode 0600 (then only a note on standard error says where it went).
 */
export async function emitSecret(
  io: CliIo,
  out: string | undefined,
  text: string,
  what: string,
): Promise<ExitCode> {
  if (out === undefined) {
    io.stdout.write(`${text}\n`)
    return 0
  }
  await writePrivateFile(io, '--out', out, `${text}\n`)
  io.stderr.write(`wrote ${what} to ${out} (mode 0600)\n`)
  return 0
}
