import { usageError } from '../args/usage-error.js'
import type { CliIo } from '../cli-io.js'

const reasons: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  EEXIST: 'the file already exists',
}

/** Why a file operation failed, in words (errno names the user would have to look up otherwise). */
export function fileErrorReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string') return reasons[code] ?? code
  return error instanceof Error ? error.message : String(error)
}

async function readStdin(io: CliIo): Promise<Uint8Array> {
  const encoder = new TextEncoder()
  const chunks: Uint8Array[] = []
  let length = 0
  for await (const chunk of io.stdin) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk
    chunks.push(bytes)
    length += bytes.byteLength
  }
  const all = new Uint8Array(length)
  let offset = 0
  for (const chunk of chunks) {
    all.set(chunk, offset)
    offset += chunk.byteLength
  }
  return all
}

/**
 * Reads the file a flag names, or standard input for `-`. A file that cannot be read is a usage
 * error naming the flag, the path and why.
 */
export async function readInput(io: CliIo, flag: string, path: string): Promise<Uint8Array> {
  if (path === '-') return readStdin(io)
  if (path === '') usageError(`${flag} needs a file path (or - for standard input)`)
  try {
    return await io.readFile(path)
  } catch (error) {
    return usageError(`cannot read ${flag} ${path}: ${fileErrorReason(error)}`)
  }
}

/**
 * Writes a newly generated secret to the file `--out` names, readable by its owner only (mode
 * 0600), refusing to replace an existing file.
 */
export async function writePrivateFile(io: CliIo, flag: string, path: string, data: string): Promise<void> {
  if (path === '' || path === '-')
    usageError(`${flag} needs a file path; leave it out to print to standard output`)
  try {
    await io.writeFile(path, data, { mode: 0o600 })
  } catch (error) {
    usageError(`cannot write ${flag} ${path}: ${fileErrorReason(error)}`)
  }
}
