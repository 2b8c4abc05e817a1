import { readFile, writeFile } from 'node:fs/promises'
import type { CliIo } from './cli-io.js'

/**
 * The {@link CliIo} of a real process: its standard streams and environment, the file system,
 * `Date.now` and Web Crypto's `getRandomValues`.
 */
export function nodeIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    readFile: (path) => readFile(path),
    // `wx`: create only. The mode applies to a new file; an existing one would keep its own.
    writeFile: (path, data, options) => writeFile(path, data, { mode: options.mode, flag: 'wx' }),
    now: () => Date.now(),
    random: (bytes) => crypto.getRandomValues(bytes),
  }
}
