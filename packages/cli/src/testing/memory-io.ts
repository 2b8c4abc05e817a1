import type { CliIo } from '../cli-io.js'

/** A deterministic random source for tests: a counter's bytes, never repeating within a run. */
export function countingRandom(seed = 1): (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer> {
  let next = seed
  return (bytes) => {
    for (let i = 0; i < bytes.length; i++) {
      bytes[i] = (next * 131 + 7) & 0xff
      next++
    }
    return bytes
  }
}

/** What a test gives the command line. */
export interface MemoryIoOptions {
  readonly env?: Readonly<Record<string, string>>
  /** Files by path: text is stored as UTF-8. */
  readonly files?: Readonly<Record<string, string | Uint8Array>>
  readonly stdin?: string | Uint8Array
  /** ms since the epoch. Default: 2026-01-15T12:00:00Z. */
  readonly now?: number
  readonly random?: CliIo['random']
}

/** A {@link CliIo} in memory, with what the command wrote. */
export interface MemoryIo extends CliIo {
  stdoutText(): string
  stderrText(): string
  /** Files the command created, with their mode. */
  readonly written: Map<string, { readonly data: string; readonly mode: number }>
}

/** The default time of tests: 2026-01-15T12:00:00Z. */
export const testNow = Date.UTC(2026, 0, 15, 12)

export function memoryIo(options: MemoryIoOptions = {}): MemoryIo {
  const encoder = new TextEncoder()
  let stdout = ''
  let stderr = ''
  const files = new Map<string, Uint8Array>()
  for (const [path, content] of Object.entries(options.files ?? {}))
    files.set(path, typeof content === 'string' ? encoder.encode(content) : content)
  const written = new Map<string, { data: string; mode: number }>()
  const stdin = options.stdin
  return {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: {
      async *[Symbol.asyncIterator]() {
        if (stdin !== undefined) yield typeof stdin === 'string' ? encoder.encode(stdin) : stdin
      },
    },
    env: options.env ?? {},
    async readFile(path) {
      const content = files.get(path)
      if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' })
      return content
    },
    async writeFile(path, data, { mode }) {
      if (files.has(path) || written.has(path))
        throw Object.assign(new Error(`EEXIST: ${path}`), { code: 'EEXIST' })
      written.set(path, { data, mode })
    },
    now: () => options.now ?? testNow,
    random: options.random ?? countingRandom(),
    stdoutText: () => stdout,
    stderrText: () => stderr,
    written,
  }
}
