/**
 * The `sec` command line as a function: `run(argv, io)` runs any command with injectable input
 * and output, and resolves with the exit code. The `sec` binary is `run(process.argv.slice(2),
 * nodeIo())`.
 *
 * @packageDocumentation
 */
export type { CliIo, CliOutput, ExitCode, WriteFileOptions } from './cli-io.js'
export { nodeIo } from './node-io.js'
export { run } from './run.js'
