import { usageError } from './usage-error.js'

/** Parses a whole-number flag within `[min, max]`. */
export function parseIntegerFlag(flag: string, text: string, min: number, max: number): number {
  const value = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN
  if (!(value >= min && value <= max)) usageError(`${flag} must be a whole number from ${min} to ${max}`)
  return value
}
