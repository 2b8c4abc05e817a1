/** Where a command writes text: `process.stdout`, `process.stderr`, or a test's buffer. */
export interface CliOutput {
  /** Writes text as it is (commands end their lines with `\n`). */
  write(text: string): unknown
}

/** Options of {@link CliIo.writeFile}. */
export interface WriteFileOptions {
  /** The permission bits of the new file, e.g. `0o600` for a private key. */
  readonly mode: number
}

/**
 * Everything a command touches outside itself, so tests run commands without a process, a file
 * system or a real clock. `nodeIo()` gives the real ones.
 */
export interface CliIo {
  /** Results: headers, URLs, `OK` lines, generated keys. */
  readonly stdout: CliOutput
  /** Errors, refusals and usage hints. */
  readonly stderr: CliOutput
  /** Standard input, read (once) only when a file flag is `-`. */
  readonly stdin: AsyncIterable<Uint8Array | string>
  /** The environment variables, where credentials and secrets are read from. */
  readonly env: Readonly<Record<string, string | undefined>>
  /**
   * Reads a whole file. Rejects with an error whose `code` is the errno name (`ENOENT`, `EACCES`,
   * `EISDIR`…) when it cannot.
   */
  readFile(path: string): Promise<Uint8Array>
  /**
   * Creates a file with `data` and the given mode. Must refuse (reject with `code: 'EEXIST'`) when
   * the file exists: an existing file would keep its own, possibly wider, permissions.
   */
  writeFile(path: string, data: string, options: WriteFileOptions): Promise<void>
  /** The time, in ms since the epoch: dates signatures and checks time windows. */
  now(): number
  /** Fills `bytes` with cryptographically strong random values and returns them, like `crypto.getRandomValues`. */
  random(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer>
}

/**
 * What `run` resolves with, the process's exit code:
 * - `0`: success; for `verify` commands, the signature is valid;
 * - `1`: a verification ran and the request or delivery is not valid (or cannot be read as one);
 * - `2`: usage error: unknown option, missing or malformed argument, unreadable file, a secret given
 *   as an argument without the opt-in;
 * - `70`: an unexpected internal failure (a bug), never a verdict.
 */
export type ExitCode = 0 | 1 | 2 | 70
