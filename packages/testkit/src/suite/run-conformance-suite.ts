import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConformanceVariant } from '../app/conformance-app.js'
import { type ConformanceRequest, type ConformanceResponse, sendRequest } from '../client/send-request.js'
import type { ListeningServer } from '../server/listen-on-free-port.js'
import { apiKeyCases } from './cases/api-keys.js'
import { authorizationCases } from './cases/authorization.js'
import { bearerTokenCases } from './cases/bearer-tokens.js'
import { bodyCases } from './cases/bodies.js'
import { bodyValidationCases } from './cases/body-validation.js'
import { clientIdentityCases } from './cases/client-identity.js'
import { corsCases } from './cases/cors.js'
import { errorCases } from './cases/errors.js'
import { httpsCases } from './cases/https.js'
import { paramsCases } from './cases/params.js'
import { urlCredentialsCases } from './cases/url-credentials.js'
import type { CaseGroup, ConformanceCase } from './conformance-case.js'
import { appHost, forbiddenHeaders, securityHeaders } from './expected.js'
import { knownMalformedRequests, malformedRequests } from './malformed-input.js'
import { type NormalizedResponse, type NormalizeOptions, normalizeResponse } from './normalize-response.js'

/** A running conformance server: its base URL and how to stop it. */
export type ConformanceServer = ListeningServer

/**
 * Starts a real server for a variant on an ephemeral port of 127.0.0.1, built from
 * `createConformanceApp(variant)`.
 */
export type StartConformanceServer = (variant: ConformanceVariant) => Promise<ConformanceServer>

/**
 * What an adapter's framework does on its own, before or around any adapter code, that the suite
 * must not hold against the adapter. Each entry is a documented framework behaviour, not leniency.
 */
export interface ConformanceSuiteOptions extends NormalizeOptions {
  /**
   * The framework answers some request targets itself before any adapter code can run (Next.js:
   * undecodable escapes get its own 500, `//` and `\\` its own 308), so the random-input property
   * keeps its paths to those the framework hands on. Default: `false`.
   */
  readonly frameworkOwnedTargets?: boolean
  /**
   * Request targets the framework answers itself before any middleware runs (Express: a target
   * whose legacy `url.parse` has no pathname, such as `/\\a?@#`, goes straight to its final handler's
   * 404). For these the random-input property still demands a status below 500 and `nosniff`,
   * but not the adapter's problem body or header removals. Default: none.
   */
  readonly frameworkAnsweredTarget?: (target: string) => boolean
  /**
   * Lower-case names of request headers of which the framework hands on only the first line when
   * a request repeats them (Next.js builds its `Request` from Node's `req.headers`, which keeps the
   * first `Authorization` and drops the others, where the raw lines the Node adapters read keep
   * them all). A case that repeats one of them is held to its `expectedFirstLineOnly`. Default: none.
   */
  readonly frameworkFirstLineOnly?: readonly string[]
}

/** Every case group, in the order the suite runs them. */
export const conformanceCaseGroups: readonly CaseGroup[] = [
  clientIdentityCases,
  httpsCases,
  urlCredentialsCases,
  corsCases,
  bodyCases,
  bodyValidationCases,
  paramsCases,
  bearerTokenCases,
  authorizationCases,
  apiKeyCases,
  errorCases,
]

/** The statuses whose responses must carry the security headers, each shown by a case of the suite. */
export const securityHeaderStatuses: readonly number[] = [
  200, 201, 204, 308, 400, 401, 403, 404, 413, 415, 500,
]

const variants: readonly ConformanceVariant[] = ['direct', 'proxied']

function withHost(request: ConformanceRequest): ConformanceRequest {
  const headers = request.headers ?? []
  if (headers.some(([name]) => name.toLowerCase() === 'host')) return request
  return { ...request, headers: [['Host', appHost], ...headers] }
}

function describeRequest(request: ConformanceRequest): string {
  return `${request.method ?? 'GET'} ${request.target}`
}

function expectNoServerHeaders(response: ConformanceResponse): void {
  for (const name of forbiddenHeaders)
    expect(response.headers, `${name} must be absent`).not.toHaveProperty(name)
}

function expectNoSecrets(response: ConformanceResponse, secrets: readonly string[]): void {
  const text = `${JSON.stringify(response.rawHeaders)}\n${response.body}`
  for (const secret of secrets)
    expect(text, `the response must not contain ${JSON.stringify(secret)}`).not.toContain(secret)
}

/** The case's expectation for this framework: `expectedFirstLineOnly` when it repeats a header the framework cuts. */
function expectationOf(testCase: ConformanceCase, firstLineOnly: readonly string[]): NormalizedResponse {
  const names = (testCase.request.headers ?? []).map(([name]) => name.toLowerCase())
  const cut = firstLineOnly.find((name) => names.indexOf(name) !== names.lastIndexOf(name))
  if (cut === undefined) return testCase.expected
  if (testCase.expectedFirstLineOnly === undefined)
    throw new Error(
      `"${testCase.name}" repeats ${cut}, which the framework cuts to its first line: give it expectedFirstLineOnly.`,
    )
  return testCase.expectedFirstLineOnly
}

function firstCase(variant: ConformanceVariant, status: number): ConformanceCase | undefined {
  for (const group of conformanceCaseGroups) {
    for (const testCase of group.cases) {
      if (testCase.expected.status === status && testCase.variants.includes(variant)) return testCase
    }
  }
  return undefined
}

/**
 * Defines the conformance suite (vitest `describe`/`it` blocks) for an adapter: for each variant it
 * starts a server with `start` before the variant's tests and closes it after them, then sends
 * every case with {@link sendRequest} and compares the normalized response (status, every header
 * but date, connection, keep-alive, content-length, transfer-encoding and etag, and the body) with
 * the case's exact expectation. Every adapter meets the same expectations, so every adapter answers
 * the same input identically. It ends with a property test: random, malformed requests never get
 * a 5xx, and every refusal is a problem.
 *
 * @example
 * // packages/express/src/conformance.test.ts
 * runConformanceSuite('express', startExpressConformanceServer)
 */
export function runConformanceSuite(
  adapterName: string,
  start: StartConformanceServer,
  options: ConformanceSuiteOptions = {},
): void {
  const targets = { frameworkOwnedTargets: options.frameworkOwnedTargets ?? false }
  const firstLineOnly = options.frameworkFirstLineOnly ?? []
  const requests = malformedRequests(targets)
  const examples = knownMalformedRequests(targets).map((request): [ConformanceRequest] => [request])
  describe(`${adapterName} conformance`, () => {
    it('shows the security headers on a case of every status that needs them', () => {
      const shown = securityHeaderStatuses.filter((status) =>
        variants.some((variant) => firstCase(variant, status) !== undefined),
      )
      expect(shown).toEqual(securityHeaderStatuses)
    })

    for (const variant of variants) {
      describe(variant, () => {
        let server: ConformanceServer | undefined
        beforeAll(async () => {
          server = await start(variant)
        }, 120_000)
        afterAll(async () => {
          await server?.close()
        })
        const send = (request: ConformanceRequest): Promise<ConformanceResponse> => {
          if (server === undefined) throw new Error(`The ${variant} server did not start.`)
          return sendRequest(server.url, withHost(request))
        }

        for (const group of conformanceCaseGroups) {
          const cases = group.cases.filter((testCase) => testCase.variants.includes(variant))
          if (cases.length === 0) continue
          describe(group.title, () => {
            for (const testCase of cases) {
              it(testCase.name, async () => {
                const response = await send(testCase.request)
                expect(normalizeResponse(response, options)).toEqual(expectationOf(testCase, firstLineOnly))
                expectNoServerHeaders(response)
                expectNoSecrets(response, testCase.secrets ?? [])
              })
            }
          })
        }

        describe('security headers on every status', () => {
          for (const status of securityHeaderStatuses) {
            const testCase = firstCase(variant, status)
            if (testCase === undefined) continue
            it(`${status} (${describeRequest(testCase.request)})`, async () => {
              const response = await send(testCase.request)
              expect(response.status).toBe(status)
              expect(response.headers).toMatchObject(securityHeaders)
              expectNoServerHeaders(response)
            })
          }
        })

        describe('malformed input', () => {
          it('never gets a 5xx; every refusal is a problem with the security headers', async () => {
            await fc.assert(
              fc.asyncProperty(requests, async (request) => {
                const response = await send(request)
                expect(response.status).toBeGreaterThanOrEqual(100)
                expect(response.status).toBeLessThan(500)
                expect(response.headers['x-content-type-options']).toBe('nosniff')
                if (options.frameworkAnsweredTarget?.(request.target) === true) return
                expectNoServerHeaders(response)
                if (response.status >= 400) {
                  expect(response.headers['content-type']).toBe('application/problem+json')
                  const problem = JSON.parse(response.body) as { type?: unknown; status?: unknown }
                  expect(typeof problem.type).toBe('string')
                  expect(problem.status).toBe(response.status)
                }
              }),
              { numRuns: 50, interruptAfterTimeLimit: 60_000, examples },
            )
          }, 90_000)
        })
      })
    }
  })
}
