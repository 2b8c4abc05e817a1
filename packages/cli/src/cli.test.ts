import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import packageJson from '../package.json'

/** The built binary, as `npm i -g @sec/cli` links it (built by the global setup). */
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'sec-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Options {
  readonly env?: Record<string, string>
  readonly input?: string
}

/** Runs `node dist/cli.js …` in a real process, in the temporary folder, with only the given variables. */
function sec(args: readonly string[], options: Options = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

const credentials = { SEC_ACCESS_KEY_ID: 'AKIDPROCESS1', SEC_SECRET_ACCESS_KEY: 'process-secret-0123456789' }

describe('the sec binary, in a real process', () => {
  it('runs as an executable file with its shebang', () => {
    expect(statSync(cli).mode & 0o111).not.toBe(0)
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
    const result = spawnSync(cli, ['--version'], { encoding: 'utf8', timeout: 60_000 })
    expect({ code: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      code: 0,
      stdout: `${packageJson.version}\n`,
      stderr: '',
    })
  })

  it('exits 0 for a request it signed, 1 once tampered with, 2 for a usage error', () => {
    writeFileSync(join(dir, 'note.json'), '{"title":"Hello"}')
    const signed = sec(
      [
        'sign',
        '--url',
        'https://api.example.com/v1/signed/notes',
        '-X',
        'POST',
        '--region',
        'eu',
        '--service',
        'notes',
        '-H',
        'Content-Type: application/json',
        '--body-file',
        'note.json',
      ],
      { env: credentials },
    )
    expect(signed).toMatchObject({ code: 0, stderr: '' })
    const request = `POST /v1/signed/notes HTTP/1.1\nHost: api.example.com\nContent-Type: application/json\n${signed.stdout}\n{"title":"Hello"}`
    writeFileSync(join(dir, 'request.http'), request)
    expect(sec(['verify', 'request.http'], { env: credentials })).toEqual({
      code: 0,
      stdout: 'OK AKIDPROCESS1\n',
      stderr: '',
    })
    expect(sec(['verify', '-'], { env: credentials, input: request.replace('Hello', 'Bye') })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'INVALID body-mismatch: The body does not match the signed content hash.\n',
    })
    expect(sec(['verify', '--bogus', 'request.http'], { env: credentials })).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "sec verify: unknown option --bogus\nUsage: sec verify [options] <request-file>  (see 'sec verify --help')\n",
    })
    expect(sec(['verify', '--secret', 'x', 'request.http'])).toMatchObject({ code: 2, stdout: '' })
  })

  it('signs and verifies a webhook through standard input', () => {
    const env = { SEC_WEBHOOK_SECRET: sec(['keys', 'generate', 'webhook']).stdout.trim() }
    const signed = sec(['webhook', 'sign', '--id', 'msg_process', '--payload-file', '-'], {
      env,
      input: '{"n":1}',
    })
    expect(signed).toMatchObject({ code: 0, stderr: '' })
    const headers = signed.stdout
      .trim()
      .split('\n')
      .flatMap((line) => ['-H', line])
    expect(sec(['webhook', 'verify', ...headers, '--payload-file', '-'], { env, input: '{"n":1}' })).toEqual({
      code: 0,
      stdout: 'OK msg_process\n',
      stderr: '',
    })
    expect(sec(['webhook', 'verify', ...headers, '--payload-file', '-'], { env, input: '{"n":2}' })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'INVALID bad-signature: No v1 signature in webhook-signature matches this payload.\n',
    })
  })

  it('writes a private key file with mode 0600 and never replaces one', () => {
    const result = sec(['keys', 'generate', 'jwk', '--out', 'key.jwk.json', '--jwks'])
    expect(result).toMatchObject({ code: 0, stderr: 'wrote the private JWK to key.jwk.json (mode 0600)\n' })
    expect(statSync(join(dir, 'key.jwk.json')).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(join(dir, 'key.jwk.json'), 'utf8'))).toMatchObject({
      kty: 'EC',
      d: expect.any(String),
    })
    expect(JSON.parse(result.stdout)).toEqual({
      keys: [expect.not.objectContaining({ d: expect.anything() })],
    })
    expect(sec(['keys', 'generate', 'jwk', '--out', 'key.jwk.json'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(
        /^sec keys generate jwk: cannot write --out key\.jwk\.json: the file already exists\n/,
      ),
    })
  })
})
