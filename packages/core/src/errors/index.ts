/**
 * Every error @sec throws carries a stable `code`, so callers can branch on it without parsing
 * messages. Messages say what to change.
 */
export class SecError extends Error {
  /** A stable, machine-readable code such as `SEC_CONFIG`. */
  readonly code: string

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.name = new.target.name
  }
}

/**
 * Thrown at start-up when options are unknown, malformed or dangerous together. `path` names the
 * option (for example `cors.origins[1]`); the message says how to fix it.
 */
export class SecConfigError extends SecError {
  /** The option's path inside the object given to the factory, e.g. `trustProxy[0]`. */
  readonly path: string

  constructor(path: string, message: string) {
    super('SEC_CONFIG', `${path}: ${message}`)
    this.path = path
  }
}
