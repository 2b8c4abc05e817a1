import { describe, expect, it } from 'vitest'
import vector from '../../../../../shared/conformance/vectors/standard-webhooks.json'
import { SecConfigError } from '../errors/index.js'
import { WebhookInputError } from './webhook-input-error.js'
import { createWebhookSigner } from './webhook-signer.js'

const second = 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'

describe('createWebhookSigner', () => {
  it('signs with every secret listed, in order, separated by spaces', async () => {
    const one = await createWebhookSigner({ secret: second }).sign({
      id: vector.id,
      timestamp: vector.timestamp,
      payload: vector.body,
    })
    const both = await createWebhookSigner({ secret: [vector.secret, second] }).sign({
      id: vector.id,
      timestamp: vector.timestamp,
      payload: vector.body,
    })
    expect(both['webhook-signature']).toBe(`${vector.signature} ${one['webhook-signature']}`)
    expect(one['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/)
  })

  it('takes the key bytes as they are', async () => {
    const key = Uint8Array.from(atob(vector.secret.slice('whsec_'.length)), (c) => c.charCodeAt(0))
    const headers = await createWebhookSigner({ secret: key }).sign({
      id: vector.id,
      timestamp: vector.timestamp,
      payload: vector.body,
    })
    expect(headers['webhook-signature']).toBe(vector.signature)
  })

  it('refuses ids and timestamps a receiver would refuse', async () => {
    const signer = createWebhookSigner({ secret: vector.secret })
    for (const id of ['', 'msg.1', 'msg 1', 'm'.repeat(257), 'é', 42 as unknown as string]) {
      await expect(signer.sign({ id, timestamp: 1, payload: '' }), String(id)).rejects.toBeInstanceOf(
        WebhookInputError,
      )
    }
    for (const timestamp of [-1, 1.5, Number.NaN, 1e12, 2 ** 53]) {
      await expect(
        signer.sign({ id: 'msg_1', timestamp, payload: '' }),
        String(timestamp),
      ).rejects.toMatchObject({
        code: 'SEC_WEBHOOK_INPUT',
      })
    }
    await expect(signer.sign({ id: 'msg_1', payload: { a: 1 } as unknown as string })).rejects.toThrow(
      'The payload must be the raw body',
    )
  })

  it('checks its options at construction', () => {
    const cases: [unknown, string][] = [
      [{}, 'createWebhookSigner.secret'],
      [{ secret: [] }, 'createWebhookSigner.secret'],
      [{ secret: 'whsec_' }, 'createWebhookSigner.secret'],
      [{ secret: [vector.secret, 'whsec_abc'] }, 'createWebhookSigner.secret[1]'],
      [{ secret: vector.secret, clock: 1 }, 'createWebhookSigner.clock'],
      [{ secret: vector.secret, secrets: [] }, 'createWebhookSigner.secrets'],
    ]
    for (const [options, path] of cases) {
      let error: unknown
      try {
        createWebhookSigner(options as never)
      } catch (thrown) {
        error = thrown
      }
      expect(error, path).toBeInstanceOf(SecConfigError)
      expect((error as SecConfigError).path).toBe(path)
    }
  })
})
