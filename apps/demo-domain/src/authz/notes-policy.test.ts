import type { Principal } from '@sec/core'
import { describe, expect, it } from 'vitest'
import { createUserDirectory } from '../identity/index.js'
import type { Note } from '../store/index.js'
import { createNotesPolicy } from './notes-policy.js'

const policy = createNotesPolicy(createUserDirectory({ passwordCost: 1024 }))
const all = ['notes:read', 'notes:write']
const user = (id: string, scopes: readonly string[] = all, kind = 'user'): Principal => ({ id, kind, scopes })
const note = (ownerId: string): Note => ({
  id: 'n_AAAAAAAAAAAAAAAAAAAAAA',
  ownerId,
  title: 't',
  body: '',
  tags: [],
  createdAt: '2026-01-01T00:00:00.000Z',
})

describe('the Notes policy', () => {
  it.each([
    ['alice lists her notes', user('alice'), 'notes:list', undefined, 'list-own'],
    ['alice creates a note', user('alice'), 'notes:create', undefined, 'create-own'],
    ['alice reads her note', user('alice'), 'notes:read', note('alice'), 'read-own'],
    ['alice deletes her note', user('alice'), 'notes:delete', note('alice'), 'delete-own'],
    ["admin deletes bob's note", user('admin'), 'notes:delete', note('bob'), 'delete-any'],
    [
      'a key of alice reads her note',
      user('alice', ['notes:read'], 'api-key'),
      'notes:read',
      note('alice'),
      'read-own',
    ],
  ])('allows: %s', (_, principal, action, resource, rule) => {
    expect(policy.authorize(principal, action, resource)).toEqual({
      allowed: true,
      reason: 'allowed-by-rule',
      rule,
    })
  })

  it.each([
    ["alice reads bob's note", user('alice'), 'notes:read', note('bob')],
    ["alice deletes bob's note", user('alice'), 'notes:delete', note('bob')],
    ["admin reads bob's note", user('admin'), 'notes:read', note('bob')],
    [
      'a read-only key deletes its owner note',
      user('alice', ['notes:read'], 'api-key'),
      'notes:delete',
      note('alice'),
    ],
    [
      'a read-only token of admin deletes any note',
      user('admin', ['notes:read']),
      'notes:delete',
      note('bob'),
    ],
    ['a write-only key lists', user('alice', ['notes:write'], 'api-key'), 'notes:list', undefined],
    ['a read-only key creates', user('alice', ['notes:read'], 'api-key'), 'notes:create', undefined],
  ])('refuses: %s', (_, principal, action, resource) => {
    expect(policy.authorize(principal, action, resource)).toEqual({
      allowed: false,
      reason: 'no-matching-rule',
      rule: undefined,
    })
  })

  it('refuses a principal the directory does not know, whatever its token claims', () => {
    const forged: Principal = { id: 'mallory', kind: 'user', scopes: all, roles: ['admin'] }
    expect(policy.authorize(forged, 'notes:delete', note('bob')).allowed).toBe(false)
    expect(policy.authorize(forged, 'notes:delete', note('mallory')).allowed).toBe(false)
  })

  it('refuses no principal, and actions it does not define', () => {
    expect(policy.authorize(undefined, 'notes:list').reason).toBe('no-principal')
    expect(policy.authorize(user('admin'), 'notes:update', note('admin')).reason).toBe('no-permission')
  })
})
