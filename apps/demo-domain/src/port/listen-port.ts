/**
 * The TCP port a demo listens on: `value` (normally `process.env.PORT`) when set, else `fallback`.
 * Throws on anything but a whole number from 0 to 65535, so a typo fails at start-up instead of
 * listening somewhere unexpected. `0` asks the system for a free port.
 */
export function listenPort(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN
  if (!(port <= 65_535)) throw new RangeError(`PORT must be a whole number from 0 to 65535, got "${value}".`)
  return port
}
