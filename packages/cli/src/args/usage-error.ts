/**
 * A command was called wrongly: an unknown or repeated option, a missing or malformed value, a file
 * that cannot be read. `run` prints the message on one line with the command's usage and exits 2.
 * Messages never quote a secret.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** Throws a {@link UsageError}; a function so checks read as one line. */
export function usageError(message: string): never {
  throw new UsageError(message)
}

interface ConfigErrorShape {
  readonly code: string
  readonly path: string
  readonly message: string
}

function isConfigError(error: unknown): error is ConfigErrorShape {
  const candidate = error as Partial<ConfigErrorShape> | null
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.code === 'SEC_CONFIG' &&
    typeof candidate.path === 'string' &&
    typeof candidate.message === 'string'
  )
}

/**
 * Runs a library factory with options built from flags, turning its `SecConfigError` into a
 * {@link UsageError} that names the flag or variable instead of the option path. `labels` maps an
 * option path (after the factory name, indexes dropped, e.g. `naming.prefix`) to what the user
 * typed (`--prefix`). The library's messages never quote a secret, so they are kept.
 */
export function withFlagNames<T>(labels: Readonly<Record<string, string>>, build: () => T): T {
  try {
    return build()
  } catch (error) {
    if (!isConfigError(error)) throw error
    const detail = error.message.startsWith(`${error.path}: `)
      ? error.message.slice(error.path.length + 2)
      : error.message
    const option = error.path
      .replace(/\[\d+\]/g, '')
      .split('.')
      .slice(1)
      .join('.')
    const label = labels[option] ?? (option === '' ? 'an option' : option)
    throw new UsageError(`${label} ${detail}`)
  }
}

/** The same as {@link withFlagNames} for factories that answer a promise. */
export async function withFlagNamesAsync<T>(
  labels: Readonly<Record<string, string>>,
  build: () => Promise<T>,
): Promise<T> {
  try {
    return await build()
  } catch (error) {
    return withFlagNames(labels, () => {
      throw error
    })
  }
}
