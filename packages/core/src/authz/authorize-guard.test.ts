import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SecConfigError } from '../errors/index.js'
import { createSecurity, type Guard, type Outcome, type Principal } from '../pipeline/index.js'
import { catalogProblem, SecProblemError } from '../problem/index.js'
import { fromWebRequest } from '../request/index.js'
import { type AuthorizeOptions, authorize, definePolicy, type Policy, SecAuthzError } from './index.js'
import { admin, alice, aliceNote, bob, type Note, notesPolicy } from './notes-policy.fixture.js'

const notes = notesPolicy()
const store = new Map<string, Note>([
  [aliceNote.id, aliceNote],
  ['n_bob', { id: 'n_bob', ownerId: 'bob' }],
])
const loadNote: AuthorizeOptions<Note>['resource'] = async (ctx) => store.get(ctx.params.id ?? '')

function signedIn(principal: Principal | undefined): Guard {
  return {
    name: 'sign-in',
    check(ctx) {
      ctx.principal = principal
    },
  }
}

async function call(
  principal: Principal | undefined,
  method: string,
  guard: Guard,
  id = aliceNote.id,
  clock?: { now(): number },
): Promise<Outcome> {
  const request = fromWebRequest(new Request(`https://api.example.com/v1/notes/${id}`, { method }))
  const security = createSecurity({ guards: [signedIn(principal)], ...(clock !== undefined && { clock }) })
  return security.protect(request, { guards: [guard], params: { id } })
}

const problemHeaders = { 'cache-control': 'no-store', 'content-type': 'application/problem+json' }
const forbidden = JSON.stringify({ type: 'urn:sec:problem:forbidden', title: 'Forbidden', status: 403 })
const notFound = JSON.stringify({ type: 'urn:sec:problem:not-found', title: 'Not Found', status: 404 })

function expectResponse(
  outcome: Outcome,
  status: number,
  body: string,
  headers: Record<string, string> = problemHeaders,
) {
  expect(outcome.response?.status).toBe(status)
  expect(Object.fromEntries(outcome.response?.headers ?? [])).toEqual(headers)
  expect(outcome.response?.body).toBe(body)
}

const readNote = authorize(notes, 'notes:read', { resource: loadNote })
const deleteNote = authorize(notes, 'notes:delete', { resource: loadNote, visibleWith: 'notes:read' })

describe('authorize guard', () => {
  it('answers 401 with a Bearer challenge without a principal, before loading anything', async () => {
    let loads = 0
    const guard = authorize(notes, 'notes:read', {
      resource: () => {
        loads++
        return aliceNote
      },
    })
    const outcome = await call(undefined, 'GET', guard)
    expect(outcome.verdict).toBe('challenge')
    expectResponse(
      outcome,
      401,
      JSON.stringify({ type: 'urn:sec:problem:unauthorized', title: 'Unauthorized', status: 401 }),
      { ...problemHeaders, 'www-authenticate': 'Bearer realm="api"' },
    )
    expect(loads).toBe(0)
  })

  it('lets the owner read, and hands the loaded resource to the handler', async () => {
    const outcome = await call(alice, 'GET', readNote)
    expect(outcome.verdict).toBe('allow')
    expect(outcome.response).toBeUndefined()
    expect(outcome.facts.resource).toBe(aliceNote)
  })

  it("answers another user's note exactly like a missing one (404, not 403)", async () => {
    const hidden = await call(bob, 'GET', readNote)
    expect(hidden.verdict).toBe('deny')
    expect(hidden.reason).toBe('not-found')
    expectResponse(hidden, 404, notFound)
    const missing = await call(bob, 'GET', readNote, 'n_missing')
    expectResponse(missing, 404, notFound)
    expect(hidden.facts.resource).toBeUndefined()
  })

  it('hides on HEAD too, and answers 403 on writes by default', async () => {
    expectResponse(await call(bob, 'HEAD', readNote), 404, notFound)
    const write = authorize(notes, 'notes:delete', { resource: loadNote })
    expectResponse(await call(bob, 'DELETE', write), 403, forbidden)
  })

  it('with visibleWith, answers 404 to whoever may not see the resource, 403 to whoever may', async () => {
    expectResponse(await call(bob, 'DELETE', deleteNote), 404, notFound)
    expectResponse(await call(bob, 'DELETE', deleteNote, 'n_missing'), 404, notFound)
    const publish = authorize(notes, 'notes:publish', { resource: loadNote, visibleWith: 'notes:read' })
    expectResponse(await call(alice, 'POST', publish), 403, forbidden)
  })

  it('lets owners delete their notes and admins delete any', async () => {
    expect((await call(alice, 'DELETE', deleteNote)).verdict).toBe('allow')
    expect((await call(admin, 'DELETE', deleteNote)).verdict).toBe('allow')
    expect((await call(admin, 'DELETE', deleteNote, 'n_bob')).verdict).toBe('allow')
  })

  it('follows hideWhenDenied when given', async () => {
    const shown = authorize(notes, 'notes:read', { resource: loadNote, hideWhenDenied: false })
    expectResponse(await call(bob, 'GET', shown), 403, forbidden)
    const hiddenWrite = authorize(notes, 'notes:delete', { resource: loadNote, hideWhenDenied: true })
    expectResponse(await call(bob, 'DELETE', hiddenWrite), 404, notFound)
    const hiddenCollection = authorize(notes, 'notes:create', { hideWhenDenied: true })
    expectResponse(await call({ id: 'eve', kind: 'user' }, 'POST', hiddenCollection), 404, notFound)
  })

  it('answers 403 on a denied collection action, even on GET', async () => {
    const list = authorize(notes, 'notes:list')
    expect((await call(alice, 'GET', list)).verdict).toBe('allow')
    const guest = { id: 'eve', kind: 'user', roles: ['guest'] }
    expectResponse(await call(guest, 'GET', list), 403, forbidden)
  })

  it("gives conditions the pipeline's clock and the environment built from the request", async () => {
    const hours = definePolicy<unknown, { readonly method: string }>({
      roles: { user: { permissions: ['reports:read'] } },
      rules: [
        {
          actions: ['reports:read'],
          permission: 'reports:read',
          when: ({ time, environment }) => environment?.method === 'GET' && new Date(time).getUTCHours() < 17,
        },
      ],
      clock: { now: () => Date.UTC(2026, 0, 1, 12) },
    })
    const guard = authorize(hours, 'reports:read', { environment: (ctx) => ({ method: ctx.request.method }) })
    const user = { id: 'u', kind: 'user', roles: ['user'] }
    const morning = { now: () => Date.UTC(2026, 0, 1, 9) }
    const evening = { now: () => Date.UTC(2026, 0, 1, 20) }
    expect((await call(user, 'GET', guard, 'r', morning)).verdict).toBe('allow')
    expectResponse(await call(user, 'GET', guard, 'r', evening), 403, forbidden)
    expectResponse(await call(user, 'POST', guard, 'r', morning), 403, forbidden)
  })

  it('turns a loader error into its problem, or into a 500 without details', async () => {
    const gone = authorize(notes, 'notes:read', {
      resource: () => {
        throw new SecProblemError(catalogProblem('invalid-request', { detail: 'Malformed note id.' }))
      },
    })
    expectResponse(
      await call(alice, 'GET', gone),
      400,
      JSON.stringify({
        detail: 'Malformed note id.',
        type: 'urn:sec:problem:invalid-request',
        title: 'Invalid Request',
        status: 400,
      }),
    )
    const broken = authorize(notes, 'notes:read', {
      resource: async () => {
        throw new Error('database password is hunter2')
      },
    })
    const outcome = await call(alice, 'GET', broken)
    expect(outcome.response?.status).toBe(500)
    expect(outcome.response?.body).not.toContain('hunter2')
  })

  it('gives a 404 for a loader answering null', async () => {
    const guard = authorize(notes, 'notes:read', { resource: () => null })
    expectResponse(await call(alice, 'GET', guard), 404, notFound)
  })

  it('uses the configured realm', async () => {
    const guard = authorize(notes, 'notes:read', { realm: 'notes' })
    expect((await call(undefined, 'GET', guard)).response?.headers.get('www-authenticate')).toBe(
      'Bearer realm="notes"',
    )
  })

  it('re-checks in the service layer: a SecAuthzError reaching the error handler is a 403 problem', async () => {
    const permissive = authorize(notes, 'notes:list')
    const outcome = await call(bob, 'GET', permissive)
    expect(outcome.verdict).toBe('allow')
    let thrown: unknown
    try {
      notes.assert(outcome.principal, 'notes:read', aliceNote)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(SecAuthzError)
    const response = createSecurity().errorResponse(thrown, outcome)
    expect(response.status).toBe(403)
    expect(Object.fromEntries(response.headers)).toEqual(problemHeaders)
    expect(response.body).toBe(forbidden)
  })

  it('agrees with the policy called directly, in the service layer, for any caller and note id', async () => {
    const principal = fc.record({
      id: fc.constantFrom('alice', 'bob', 'admin', 'eve', ''),
      kind: fc.constant('user'),
      roles: fc.oneof(fc.array(fc.constantFrom('user', 'admin', 'guest', 'Admin')), fc.anything()),
    })
    await fc.assert(
      fc.asyncProperty(
        fc.option(principal, { nil: undefined }),
        fc.constantFrom('GET', 'DELETE'),
        fc.oneof(fc.constantFrom('n_alice', 'n_bob'), fc.string({ unit: 'grapheme-ascii' })),
        async (caller, method, id) => {
          const action = method === 'GET' ? 'notes:read' : 'notes:delete'
          const guard = method === 'GET' ? readNote : deleteNote
          const outcome = await call(caller, method, guard, encodeURIComponent(id))
          const note = store.get(id)
          const direct = note === undefined ? undefined : notes.authorize(caller, action, note)
          if (caller === undefined) expect(outcome.response?.status).toBe(401)
          else if (direct?.allowed === true) {
            expect(outcome.verdict).toBe('allow')
            expect(() => notes.assert(caller, action, note)).not.toThrow()
          } else {
            expect(outcome.response?.status).toBe(404)
            if (note !== undefined) expect(() => notes.assert(caller, action, note)).toThrow(SecAuthzError)
          }
        },
      ),
    )
  })

  it.each<[string, () => Guard, string]>([
    [
      'a missing policy',
      () => authorize(undefined as unknown as Policy, 'a'),
      'authorize.policy: Expected a policy made by definePolicy',
    ],
    [
      'an empty action',
      () => authorize(notes, ''),
      "authorize.action: Expected an action such as 'notes:read'",
    ],
    [
      "the '*' action",
      () => authorize(notes, '*'),
      "authorize.action: Expected an action such as 'notes:read'",
    ],
    [
      'an unknown option',
      () => authorize(notes, 'notes:read', { hide: true } as AuthorizeOptions<Note>),
      'authorize.options.hide: is not a known option.',
    ],
    [
      'a loader that is not a function',
      () => authorize(notes, 'notes:read', { resource: aliceNote } as unknown as AuthorizeOptions<Note>),
      'authorize.options.resource: Expected a function.',
    ],
    [
      'visibleWith without a loader',
      () => authorize(notes, 'notes:delete', { visibleWith: 'notes:read' }),
      'authorize.options.visibleWith: needs a resource loader',
    ],
    [
      'visibleWith with hideWhenDenied',
      () =>
        authorize(notes, 'notes:delete', {
          resource: loadNote,
          visibleWith: 'notes:read',
          hideWhenDenied: true,
        }),
      'authorize.options.hideWhenDenied: cannot be set together with visibleWith',
    ],
    [
      'a realm with a backslash',
      () => authorize(notes, 'notes:read', { realm: 'a\\b' }),
      'authorize.options.realm: must be printable ASCII',
    ],
  ])('refuses %s at construction', (_, make, message) => {
    expect(make).toThrow(SecConfigError)
    expect(make).toThrow(message)
  })
})
