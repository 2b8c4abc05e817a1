#!/usr/bin/env node
import { nodeIo } from './node-io.js'
import { run } from './run.js'

// A reader that closed early (`sec keys generate hmac | head -c 8`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
})

run(process.argv.slice(2), nodeIo()).then((code) => {
  process.exitCode = code
})
