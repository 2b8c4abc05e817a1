import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SecConfigError, SecError } from '../errors/index.js'
import type { Principal } from '../pipeline/index.js'
import { SecProblemError } from '../problem/index.js'
import {
  type AuthorizationRequest,
  definePolicy,
  ownsResource,
  type PolicyDefinition,
  SecAuthzError,
} from './index.js'
import { admin, alice, aliceNote, bob, notesPolicy } from './notes-policy.fixture.js'

const user = (roles: unknown, id = 'u1'): Principal => ({ id, kind: 'user', roles })

describe('definePolicy: roles', () => {
  const policy = definePolicy({
    roles: {
      viewer: { permissions: ['reports:read'] },
      editor: { inherits: ['viewer'], permissions: ['reports:write'] },
      owner: { inherits: ['editor'], permissions: ['reports:delete'] },
    },
  })

  it('grants a permission inherited over several levels', () => {
    expect(policy.authorize(user(['owner']), 'reports:read')).toEqual({
      allowed: true,
      reason: 'granted-by-permission',
      rule: undefined,
    })
    expect(policy.authorize(user(['editor']), 'reports:delete')).toEqual({
      allowed: false,
      reason: 'no-permission',
      rule: undefined,
    })
  })

  it('ignores role names it does not define, and roles that are not strings', () => {
    for (const roles of [
      ['superuser'],
      ['Owner'],
      [['owner']],
      [{ name: 'owner' }],
      'owner',
      undefined,
      null,
    ])
      expect(policy.authorize(user(roles), 'reports:read').allowed).toBe(false)
    expect(policy.authorize(user(['superuser', 'viewer']), 'reports:read').allowed).toBe(true)
  })

  it('does not take an inherited Object property for a role', () => {
    expect(policy.authorize(user(['constructor', 'toString', '__proto__']), 'reports:read').allowed).toBe(
      false,
    )
  })

  it('denies without a principal', () => {
    expect(policy.authorize(undefined, 'reports:read')).toEqual({
      allowed: false,
      reason: 'no-principal',
      rule: undefined,
    })
  })

  it('reads roles through a configured accessor', () => {
    const fromClaims = definePolicy({
      roles: { viewer: { permissions: ['reports:read'] } },
      rolesOf: (principal) =>
        (principal.claims as { realm_access?: { roles?: string[] } } | undefined)?.realm_access?.roles,
    })
    const principal: Principal = { id: 'u', kind: 'user', claims: { realm_access: { roles: ['viewer'] } } }
    expect(fromClaims.authorize(principal, 'reports:read').allowed).toBe(true)
    expect(fromClaims.authorize(user(['viewer']), 'reports:read').allowed).toBe(false)
  })

  it('exposes the resolved permissions of each role', () => {
    expect([...(policy.permissions.get('owner') ?? [])].sort()).toEqual([
      'reports:delete',
      'reports:read',
      'reports:write',
    ])
  })
})

describe('definePolicy: the Notes rules (ownership)', () => {
  const notes = notesPolicy()
  const bobNote = { id: 'n_bob', ownerId: 'bob' }

  it('lets users read and delete their own notes only', () => {
    expect(notes.authorize(alice, 'notes:read', aliceNote)).toEqual({
      allowed: true,
      reason: 'allowed-by-rule',
      rule: 'read-own',
    })
    expect(notes.authorize(bob, 'notes:read', aliceNote)).toEqual({
      allowed: false,
      reason: 'no-matching-rule',
      rule: undefined,
    })
    expect(notes.authorize(alice, 'notes:delete', aliceNote).rule).toBe('delete-own')
    expect(notes.authorize(bob, 'notes:delete', aliceNote).allowed).toBe(false)
  })

  it('narrows a permission to the rules that name its action', () => {
    expect(notes.authorize(alice, 'notes:read').allowed).toBe(false)
    expect(notes.authorize(alice, 'notes:write', bobNote)).toEqual({
      allowed: true,
      reason: 'granted-by-permission',
      rule: undefined,
    })
  })

  it('lets admins delete any note, but not read others', () => {
    expect(notes.authorize(admin, 'notes:delete', aliceNote)).toEqual({
      allowed: true,
      reason: 'allowed-by-rule',
      rule: 'delete-any',
    })
    expect(notes.authorize(admin, 'notes:read', aliceNote).allowed).toBe(false)
  })

  it('allows collection actions without a resource', () => {
    expect(notes.authorize(bob, 'notes:create').rule).toBe('write-own')
    expect(notes.authorize(user(['guest']), 'notes:create').allowed).toBe(false)
  })

  it('compares the owner with a custom accessor, and never matches a missing owner', () => {
    const posts = definePolicy<{ authorId?: string }>({
      roles: { author: { permissions: ['posts:write'] } },
      rules: [{ actions: ['posts:edit'], permission: 'posts:write', when: ownsResource((p) => p.authorId) }],
    })
    const author = user(['author'], 'a1')
    expect(posts.authorize(author, 'posts:edit', { authorId: 'a1' }).allowed).toBe(true)
    expect(posts.authorize(author, 'posts:edit', { authorId: 'a2' }).allowed).toBe(false)
    expect(posts.authorize(author, 'posts:edit', {}).allowed).toBe(false)
    const anonymous = { ...author, id: undefined } as unknown as Principal
    expect(posts.authorize(anonymous, 'posts:edit', {}).allowed).toBe(false)
    expect(posts.authorize({ ...author, id: '' }, 'posts:edit', { authorId: '' }).allowed).toBe(false)
  })
})

describe('definePolicy: conditions and deny rules', () => {
  interface Environment {
    readonly network: 'office' | 'internet'
  }
  const hour = 3_600_000
  const clock = { now: () => Date.UTC(2026, 0, 5, 10) }
  const payroll = definePolicy<{ locked: boolean }, Environment>({
    roles: {
      clerk: { permissions: ['payroll:read', 'payroll:export'] },
      manager: { inherits: ['clerk'] },
      suspended: {},
    },
    rules: [
      {
        actions: ['payroll:export'],
        permission: 'payroll:export',
        when: ({ time }) => new Date(time).getUTCHours() >= 9 && new Date(time).getUTCHours() < 17,
        name: 'office-hours',
      },
      {
        effect: 'deny',
        actions: ['payroll:read', 'payroll:export'],
        when: ({ environment }) => environment?.network !== 'office',
        name: 'office-network',
      },
      { effect: 'deny', actions: ['payroll:export'], when: ({ resource }) => resource?.locked === true },
      { effect: 'deny', actions: ['*'], when: ({ roles }) => roles.includes('suspended'), name: 'suspended' },
    ],
    clock,
  })
  const office: Environment = { network: 'office' }
  const clerk = user(['clerk'])

  it('checks a time window against the injected clock, or the given time', () => {
    expect(payroll.authorize(clerk, 'payroll:export', { locked: false }, office)).toEqual({
      allowed: true,
      reason: 'allowed-by-rule',
      rule: 'office-hours',
    })
    const evening = Date.UTC(2026, 0, 5, 18)
    expect(
      payroll.decide({ principal: clerk, action: 'payroll:export', environment: office, time: evening }),
    ).toEqual({ allowed: false, reason: 'no-matching-rule', rule: undefined })
    expect(
      payroll.decide({ principal: clerk, action: 'payroll:export', environment: office, time: 9 * hour })
        .allowed,
    ).toBe(true)
  })

  it('lets an explicit deny win over a grant', () => {
    expect(payroll.authorize(clerk, 'payroll:read', undefined, { network: 'internet' })).toEqual({
      allowed: false,
      reason: 'denied-by-rule',
      rule: 'office-network',
    })
    expect(payroll.authorize(clerk, 'payroll:read', undefined)).toMatchObject({ rule: 'office-network' })
    expect(payroll.authorize(clerk, 'payroll:export', { locked: true }, office)).toEqual({
      allowed: false,
      reason: 'denied-by-rule',
      rule: 'rules[2]',
    })
  })

  it("applies a '*' deny rule to every action, even granted ones", () => {
    const suspendedManager = user(['manager', 'suspended'])
    expect(payroll.authorize(suspendedManager, 'payroll:read', undefined, office)).toEqual({
      allowed: false,
      reason: 'denied-by-rule',
      rule: 'suspended',
    })
    expect(payroll.authorize(user(['manager']), 'payroll:read', undefined, office).allowed).toBe(true)
  })

  it('passes the whole request to conditions', () => {
    const seen: AuthorizationRequest<string, string>[] = []
    const spy = definePolicy<string, string>({
      roles: { r: { permissions: ['p'] } },
      rules: [{ actions: ['act'], permission: 'p', when: (request) => seen.push(request) > 0 }],
      clock: { now: () => 42 },
    })
    const principal = user(['r', 'ghost'])
    expect(spy.authorize(principal, 'act', 'res', 'env').allowed).toBe(true)
    expect(seen).toEqual([
      { principal, action: 'act', resource: 'res', environment: 'env', time: 42, roles: ['r'] },
    ])
  })

  it('throws when a condition returns something else than a boolean, rather than guessing', () => {
    const sloppy = definePolicy({
      roles: {},
      rules: [
        {
          effect: 'deny',
          actions: ['x'],
          when: (async () => true) as unknown as () => boolean,
          name: 'async-deny',
        },
      ],
    })
    expect(() => sloppy.authorize(user([]), 'x')).toThrow(SecError)
    expect(() => sloppy.authorize(user([]), 'x')).toThrow(
      'The condition of async-deny returned a Promise, not a boolean.',
    )
  })
})

describe('policy.assert', () => {
  const notes = notesPolicy()

  it('returns when allowed and throws a SecAuthzError when denied', () => {
    expect(notes.assert(alice, 'notes:read', aliceNote)).toBeUndefined()
    let error: unknown
    try {
      notes.assert(bob, 'notes:read', aliceNote)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(SecAuthzError)
    expect(error).toBeInstanceOf(SecProblemError)
    const authz = error as SecAuthzError
    expect(authz.code).toBe('SEC_FORBIDDEN')
    expect(authz.name).toBe('SecAuthzError')
    expect(authz.action).toBe('notes:read')
    expect(authz.decision).toEqual({ allowed: false, reason: 'no-matching-rule', rule: undefined })
    expect(authz.message).toBe('"notes:read" is not allowed (no-matching-rule).')
    expect(authz.problem).toEqual({ type: 'urn:sec:problem:forbidden', title: 'Forbidden', status: 403 })
  })

  it('does not take any SecProblemError for a SecAuthzError', () => {
    expect(new SecProblemError({ type: 'about:blank', title: 'Forbidden', status: 403 })).not.toBeInstanceOf(
      SecAuthzError,
    )
  })

  it('names the deciding rule in the message', () => {
    const locked = definePolicy({
      roles: {},
      rules: [{ effect: 'deny', actions: ['*'], name: 'maintenance' }],
    })
    expect(() => locked.assert(user([]), 'anything')).toThrow(
      '"anything" is not allowed (denied-by-rule: maintenance).',
    )
  })
})

describe('definePolicy: deny by default (fuzzed)', () => {
  const roleNames = ['viewer', 'editor', 'admin', 'ghost', 'Admin', '__proto__']
  const actions = ['doc:read', 'doc:write', 'doc:delete', 'doc:share', 'billing:read', 'x', '']
  const policy = definePolicy<{ ownerId: string; public: boolean }>({
    roles: {
      viewer: { permissions: ['doc:read'] },
      editor: { inherits: ['viewer'], permissions: ['doc:write'] },
      admin: { inherits: ['editor'], permissions: ['doc:delete'] },
    },
    rules: [
      { actions: ['doc:share'], permission: 'doc:write', when: ownsResource() },
      { effect: 'deny', actions: ['doc:delete'], when: ({ resource }) => resource?.public === true },
    ],
  })
  const anyAction = fc.oneof(
    fc.constantFrom(...actions),
    fc.string({ size: 'large' }),
    fc.tuple(fc.constantFrom(...actions), fc.string()).map(([action, suffix]) => action + suffix),
  )
  const granted: Record<string, string[]> = {
    viewer: ['doc:read'],
    editor: ['doc:read', 'doc:write'],
    admin: ['doc:read', 'doc:write', 'doc:delete'],
  }

  it('never allows an action that neither a permission nor a rule grants', () => {
    fc.assert(
      fc.property(
        fc.record({
          id: fc.string(),
          kind: fc.string(),
          roles: fc.oneof(fc.array(fc.oneof(fc.constantFrom(...roleNames), fc.string())), fc.anything()),
          scopes: fc.array(fc.string()),
        }),
        anyAction,
        fc.option(fc.record({ ownerId: fc.oneof(fc.constant('me'), fc.string()), public: fc.boolean() }), {
          nil: undefined,
        }),
        (principal, action, resource) => {
          const decision = policy.authorize(principal, action, resource)
          const roles = Array.isArray(principal.roles) ? principal.roles : []
          const holds = (permission: string) =>
            roles.some(
              (role) =>
                typeof role === 'string' &&
                Object.hasOwn(granted, role) &&
                granted[role]?.includes(permission),
            )
          let expected: boolean
          if (action === 'doc:share') expected = holds('doc:write') && resource?.ownerId === principal.id
          else if (action === 'doc:delete') expected = holds('doc:delete') && resource?.public !== true
          else expected = holds(action)
          expect(decision.allowed).toBe(expected)
          if (decision.allowed)
            expect(['granted-by-permission', 'allowed-by-rule']).toContain(decision.reason)
        },
      ),
    )
  })

  it('denies any action to a principal without known roles', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string().filter((r) => !['viewer', 'editor', 'admin'].includes(r))),
        anyAction,
        (roles, action) => {
          expect(policy.authorize(user(roles), action).allowed).toBe(false)
        },
      ),
    )
  })
})

describe('definePolicy: options', () => {
  it.each<[string, unknown, string]>([
    ['no definition', undefined, 'definePolicy.roles: Invalid key: Expected'],
    ['an unknown option', { roles: {}, role: {} }, 'definePolicy.role: is not a known option.'],
    [
      'an unknown role option',
      { roles: { user: { permission: ['a'] } } },
      'definePolicy.roles.user.permission: is not a known option.',
    ],
    [
      'a non-string permission',
      { roles: { user: { permissions: ['a', 1] } } },
      'definePolicy.roles.user.permissions[1]: ',
    ],
    [
      'an empty permission',
      { roles: { user: { permissions: [''] } } },
      'definePolicy.roles.user.permissions[0]: Expected a non-empty string.',
    ],
    [
      'a cycle',
      { roles: { a: { inherits: ['b'] }, b: { inherits: ['a'] } } },
      'definePolicy.roles.b.inherits: forms a cycle (a → b → a).',
    ],
    [
      'a rule without actions',
      { roles: {}, rules: [{ actions: [] }] },
      'definePolicy.rules[0].actions: Expected at least one action.',
    ],
    [
      'a bad effect',
      { roles: {}, rules: [{ actions: ['a'], effect: 'permit' }] },
      "definePolicy.rules[0].effect: Expected 'allow' or 'deny'.",
    ],
    [
      'a condition that is not a function',
      { roles: {}, rules: [{ actions: ['a'], when: true }] },
      'definePolicy.rules[0].when: Expected a function.',
    ],
    [
      "'*' in an allow rule",
      { roles: {}, rules: [{ actions: ['a', '*'] }] },
      "definePolicy.rules[0].actions[1]: '*' is only accepted in deny rules",
    ],
    [
      'a permission no role grants',
      {
        roles: { user: { permissions: ['notes:read'] } },
        rules: [{ actions: ['a'], permission: 'notes:raed' }],
      },
      'definePolicy.rules[0].permission: names "notes:raed", which no role grants',
    ],
    ['a bad clock', { roles: {}, clock: Date.now }, 'definePolicy.clock: Expected { now(): number }.'],
    ['a bad accessor', { roles: {}, rolesOf: 'roles' }, 'definePolicy.rolesOf: Expected a function.'],
  ])('refuses %s', (_, definition, message) => {
    const define = () => definePolicy(definition as PolicyDefinition)
    expect(define).toThrow(SecConfigError)
    expect(define).toThrow(message)
  })
})
