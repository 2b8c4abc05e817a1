import { describe, expect, it } from 'vitest'
import { demoClientCredentials, demoMachineClients, demoWebhookSecret } from './demo-signing-credentials.js'

describe('demo signing credentials', () => {
  it('looks up a machine client by access key id, with its owner and scopes', () => {
    expect(demoClientCredentials('notes-importer')).toEqual({
      secrets: ['dev-only-importer-secret-4f9c2e7a1b6d'],
      owner: 'alice',
      scopes: ['notes:write'],
    })
    expect(demoClientCredentials('NOTES-IMPORTER')).toBeUndefined()
    expect(demoClientCredentials('unknown')).toBeUndefined()
    expect(demoMachineClients.map((client) => client.accessKeyId)).toEqual(['notes-importer'])
  })

  it('has a webhook secret of 32 bytes that says it is for development only', () => {
    const key = Buffer.from(demoWebhookSecret.slice('whsec_'.length), 'base64')
    expect(key.toString('utf8')).toBe('dev-only: notes demo webhook key')
  })
})
