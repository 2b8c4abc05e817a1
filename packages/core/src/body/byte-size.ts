import { configError } from '../config/index.js'

/** A size: a number of bytes, or a string such as `'512b'`, `'64kb'`, `'1mb'` (1 kb = 1024 bytes). */
export type ByteSize = number | `${number}${'b' | 'kb' | 'mb'}`

const unitBytes: Readonly<Record<string, number>> = { b: 1, kb: 1024, mb: 1_048_576 }
const pattern = /^(\d+(?:\.\d+)?)(b|kb|mb)$/i

/**
 * Turns a {@link ByteSize} into whole bytes, or throws a `SecConfigError` at `path`. Strict on
 * purpose: `'1 MB'` or `'64k'` are typos we refuse rather than guess.
 */
export function parseByteSize(path: string, value: unknown): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return value
    return configError(path, `must be a whole, non-negative number of bytes; got ${String(value)}.`)
  }
  if (typeof value === 'string') {
    const match = pattern.exec(value)
    const unit = match?.[2]?.toLowerCase()
    if (match?.[1] !== undefined && unit !== undefined) {
      const bytes = Math.floor(Number(match[1]) * (unitBytes[unit] ?? 1))
      if (Number.isSafeInteger(bytes)) return bytes
    }
  }
  return configError(
    path,
    `must be bytes as a number or a string like '512b', '64kb', '1mb'; got ${JSON.stringify(value)}.`,
  )
}
