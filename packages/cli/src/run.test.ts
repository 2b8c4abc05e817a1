import { describe, expect, it } from 'vitest'
import packageJson from '../package.json'
import type { Command, CommandGroup } from './commands/command.js'
import { rootGroup } from './commands/groups.js'
import { run } from './run.js'
import { memoryIo } from './testing/memory-io.js'
import { runSec, usageLines } from './testing/run-sec.js'

/** Every command and group with the words that reach it. */
function everyEntry(group: CommandGroup, path: string[] = []): [string[], Command | CommandGroup][] {
  const out: [string[], Command | CommandGroup][] = [[path, group]]
  for (const [name, entry] of Object.entries(group.commands)) {
    if (entry.kind === 'group') out.push(...everyEntry(entry, [...path, name]))
    else out.push([[...path, name], entry])
  }
  return out
}

const entries = everyEntry(rootGroup)

describe('sec', () => {
  it('has help for the 12 commands and groups', () => {
    expect(entries.map(([path]) => ['sec', ...path].join(' '))).toEqual([
      'sec',
      'sec sign',
      'sec verify',
      'sec webhook',
      'sec webhook sign',
      'sec webhook verify',
      'sec keys',
      'sec keys generate',
      'sec keys generate hmac',
      'sec keys generate webhook',
      'sec keys generate api-key',
      'sec keys generate jwk',
    ])
  })

  it.each(entries)('prints the help of sec %s with --help, -h and help', async (path, entry) => {
    for (const argv of [
      [...path, '--help'],
      [...path, '-h'],
      ['help', ...path],
    ]) {
      expect(await runSec(argv)).toMatchObject({ code: 0, stdout: entry.help, stderr: '' })
    }
    expect(entry.help).toContain(`\nUsage: ${entry.usage}\n`)
    expect(entry.help.endsWith('\n')).toBe(true)
  })

  it('prints help even after a mistake, but not after --', async () => {
    const sign = rootGroup.commands.sign as Command
    expect(await runSec(['sign', '--bogus', '--help'])).toMatchObject({ code: 0, stdout: sign.help })
    expect(await runSec(['sign', '--', '--help'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: usageLines(
        'sec sign',
        sign.usage,
        'takes no arguments besides options (got 1); give values with their option, e.g. --method POST',
      ),
    })
  })

  it('prints the version of the package', async () => {
    expect(await runSec(['--version'])).toMatchObject({
      code: 0,
      stdout: `${packageJson.version}\n`,
      stderr: '',
    })
  })

  it('answers 2 with one line and the usage for a missing or unknown command', async () => {
    expect(await runSec([])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: usageLines('sec', 'sec <command> [options]', 'missing command'),
    })
    expect(await runSec(['sing'])).toMatchObject({
      code: 2,
      stderr: usageLines('sec', 'sec <command> [options]', "unknown command 'sing'"),
    })
    expect(await runSec(['webhook'])).toMatchObject({
      code: 2,
      stderr: usageLines('sec webhook', 'sec webhook <sign|verify> [options]', 'missing command'),
    })
    expect(await runSec(['keys', 'generate', 'rsa'])).toMatchObject({
      code: 2,
      stderr: usageLines(
        'sec keys generate',
        'sec keys generate <hmac|webhook|api-key|jwk> [options]',
        "unknown command 'rsa'",
      ),
    })
    expect(await runSec(['webhook', '--stripe=1'])).toMatchObject({
      code: 2,
      stderr: usageLines('sec webhook', 'sec webhook <sign|verify> [options]', 'unknown option --stripe'),
    })
    expect(await runSec(['sk_live_AbC'])).toMatchObject({
      code: 2,
      stderr: usageLines('sec', 'sec <command> [options]', 'unknown command'),
    })
    expect(await runSec(['help', 'toString'])).toMatchObject({
      code: 2,
      stderr: usageLines('sec', 'sec <command> [options]', "unknown command 'toString'"),
    })
  })

  it('never prints a secret it was given, whatever fails', async () => {
    const secret = 'whsec_U2VjcmV0VmFsdWVOZXZlclByaW50ZWQxMjM0NTY='
    const env = { SEC_ACCESS_KEY_ID: 'AKIDLEAK', SEC_SECRET_ACCESS_KEY: secret, SEC_WEBHOOK_SECRET: secret }
    const files = { 'request.http': 'GET / HTTP/1.1\nHost: a\n\n', 'secret.txt': secret, 'body.json': '{}' }
    const runs = [
      ['sign', '--url', 'https://a/', '--region', 'e u', '--service', 's'],
      ['sign', '--url', 'https://a/', '--region', 'eu', '--service', 's', '--secret', secret],
      [
        'sign',
        '--url',
        'https://a/',
        '--region',
        'eu',
        '--service',
        's',
        '--secret-file',
        'secret.txt',
        '--secret',
        secret,
        '--i-know-this-lands-in-shell-history',
      ],
      ['verify', 'request.http'],
      ['verify', 'request.http', secret],
      ['webhook', 'sign', '--id', 'a.b', '--payload-file', 'body.json'],
      ['webhook', 'sign', '--stripe', '--payload-file', 'body.json', '--secret', secret],
      ['webhook', 'verify', '-H', 'webhook-id: x', '--payload-file', 'body.json'],
      ['keys', 'generate', 'api-key', '--hash', '--pepper', secret],
      [
        'keys',
        'generate',
        'api-key',
        '--hash',
        `--pepper=${secret}`,
        '--i-know-this-lands-in-shell-history',
        '--env',
        'x',
      ],
      [secret],
      ['sign', `--${secret}`],
    ]
    for (const argv of runs) {
      const result = await runSec(argv, { env, files })
      expect(result.code).not.toBe(0)
      expect(result.stdout + result.stderr).not.toContain(secret.slice(6, 30))
    }
  })

  it('answers 70, not a verdict, when something unexpected fails', async () => {
    const io = memoryIo({
      random: () => {
        throw new TypeError('no entropy')
      },
    })
    expect(await run(['keys', 'generate', 'hmac'], io)).toBe(70)
    expect(io.stdoutText()).toBe('')
    expect(io.stderrText()).toBe('sec: unexpected error, please report it: TypeError: no entropy\n')
  })
})
