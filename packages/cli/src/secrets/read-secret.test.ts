import { describe, expect, it } from 'vitest'
import { memoryIo } from '../testing/memory-io.js'
import { readSecret, type SecretSources } from './read-secret.js'

const sources = (overrides: Partial<SecretSources>): SecretSources => ({
  what: 'the secret',
  fileFlag: 'secret-file',
  file: undefined,
  argument: { flag: 'secret', value: undefined, insisted: undefined },
  env: ['SEC_A', 'SEC_B'],
  ...overrides,
})

describe('readSecret', () => {
  const io = memoryIo({
    env: { SEC_A: '', SEC_B: 'from-b' },
    files: { 'secret.txt': '  from-file \r\n', 'binary.bin': new Uint8Array([0xff, 0xfe]) },
  })

  it('tries the file, the argument with the opt-in, then the first non-empty variable', async () => {
    expect(await readSecret(io, sources({ file: 'secret.txt' }))).toEqual({
      value: 'from-file',
      source: '--secret-file',
    })
    expect(
      await readSecret(io, sources({ argument: { flag: 'secret', value: 'from-arg', insisted: true } })),
    ).toEqual({ value: 'from-arg', source: '--secret' })
    expect(await readSecret(io, sources({}))).toEqual({ value: 'from-b', source: 'SEC_B' })
    expect(await readSecret(io, sources({ env: ['SEC_A'] }))).toBeUndefined()
  })

  it('refuses two sources, standard input, a binary file and an empty argument, never quoting the value', async () => {
    await expect(
      readSecret(
        io,
        sources({ file: 'secret.txt', argument: { flag: 'secret', value: 'x', insisted: true } }),
      ),
    ).rejects.toThrow('give the secret once: --secret-file or --secret, not both')
    await expect(readSecret(io, sources({ file: '-' }))).rejects.toThrow(
      '--secret-file needs a file path; standard input is kept for the request body',
    )
    await expect(readSecret(io, sources({ file: 'binary.bin' }))).rejects.toThrow(
      '--secret-file binary.bin is not UTF-8 text',
    )
    await expect(
      readSecret(io, sources({ argument: { flag: 'secret', value: '', insisted: true } })),
    ).rejects.toThrow('--secret is empty')
    await expect(
      readSecret(io, sources({ argument: { flag: 'secret', value: 'hunter2', insisted: false } })),
    ).rejects.toThrow(
      'refusing --secret: a secret given as an argument is saved in your shell history and visible in the process list; use SEC_A or --secret-file <path>, or add --i-know-this-lands-in-shell-history if you accept that',
    )
  })
})
