import { expect, it } from 'vitest'
import { tokenDigest } from './token-digest.js'

const hex = (digest: string) =>
  Array.from(digest, (char) => char.charCodeAt(0).toString(16).padStart(2, '0')).join('')

it('is the SHA-256 of the token, one character per byte', async () => {
  const digest = await tokenDigest('abc')
  expect(digest).toHaveLength(32)
  expect(hex(digest)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
})

it('has the same size whatever the token, and differs for a changed byte', async () => {
  expect(await tokenDigest('x'.repeat(16_384))).toHaveLength(32)
  expect(await tokenDigest('token-a')).not.toBe(await tokenDigest('token-b'))
})
