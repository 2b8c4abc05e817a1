// A signer dates many requests within one second: the last second formatted is kept.
let lastSecond = Number.NaN
let lastFormatted = ''

/** The SigV4 request time of an instant: `YYYYMMDDTHHMMSSZ` in UTC, e.g. `20150830T123600Z`. */
export function formatAmzDate(ms: number): string {
  const second = Math.floor(ms / 1000)
  if (second === lastSecond) return lastFormatted
  const iso = new Date(ms).toISOString()
  lastFormatted = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`
  lastSecond = second
  return lastFormatted
}

/** The value of the two ASCII digits at `at`, or -1 unless both are digits. */
function twoDigits(value: string, at: number): number {
  const high = value.charCodeAt(at) - 0x30
  const low = value.charCodeAt(at + 1) - 0x30
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : -1
}

/**
 * The instant of midnight of `YYYYMMDD` (8 ASCII digits at the start of `value`), or `undefined`
 * unless it is a real calendar date from 1970 (no `20150231`).
 */
function parseDay(value: string): number | undefined {
  const century = twoDigits(value, 0)
  const yy = twoDigits(value, 2)
  const mm = twoDigits(value, 4)
  const dd = twoDigits(value, 6)
  if (century < 0 || yy < 0 || mm < 0 || dd < 0) return undefined
  const year = century * 100 + yy
  const month = mm - 1
  if (year < 1970) return undefined
  const ms = Date.UTC(year, month, dd)
  // Date.UTC rolls 31 February over into March: a real date reads back the same month and day.
  const date = new Date(ms)
  return date.getUTCMonth() === month && date.getUTCDate() === dd ? ms : undefined
}

// Requests arrive dated today (or, around midnight, yesterday): the day of the last one parsed is
// kept, so most requests cost a few digit reads and no `Date`.
let lastDay = ''
let lastDayMs: number | undefined

/**
 * The instant (ms since the epoch) of a SigV4 request time, or `undefined` unless it is exactly
 * `YYYYMMDDTHHMMSSZ` with a real calendar date and time from 1970 (no `20150231`, no hour `24`).
 */
export function parseAmzDate(value: string): number | undefined {
  if (value.length !== 16 || value.charCodeAt(8) !== 0x54 || value.charCodeAt(15) !== 0x5a) return undefined
  const hour = twoDigits(value, 9)
  const minute = twoDigits(value, 11)
  const second = twoDigits(value, 13)
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined
  const day = value.slice(0, 8)
  if (day !== lastDay) {
    lastDayMs = parseDay(day)
    lastDay = day
  }
  return lastDayMs === undefined ? undefined : lastDayMs + ((hour * 60 + minute) * 60 + second) * 1000
}
