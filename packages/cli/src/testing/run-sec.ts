import { run } from '../run.js'
import { type MemoryIo, type MemoryIoOptions, memoryIo } from './memory-io.js'

/** What one run printed and answered. */
export interface SecRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
  readonly io: MemoryIo
}

/** Runs `sec <argv>` in memory. */
export async function runSec(argv: readonly string[], options: MemoryIoOptions = {}): Promise<SecRun> {
  const io = memoryIo(options)
  const code = await run(argv, io)
  return { code, stdout: io.stdoutText(), stderr: io.stderrText(), io }
}

/** The two lines of a usage error, as `run` prints them. */
export function usageLines(path: string, usage: string, message: string): string {
  return `${path}: ${message}\nUsage: ${usage}  (see '${path} --help')\n`
}
