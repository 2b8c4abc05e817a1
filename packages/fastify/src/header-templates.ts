import type { ResponseHeaders } from '@sec/core'
import type { FastifyReply } from 'fastify'

/**
 * Fastify keeps a reply's headers in a plain object it writes with `res.writeHead(status, object)`.
 * Set one by one with `reply.header()`, V8 turns that object into a hash table (dictionary mode)
 * at about the twentieth name, which the security headers alone reach: every later read, the
 * `for…in` of Node's `writeHead` included, then takes the slow path. A copy of a template object
 * that already has the outcome's names, in the outcome's order, keeps the fast shape; only the
 * values are stored per request.
 */
interface Template {
  readonly names: readonly string[]
  readonly object: Readonly<Record<string, string>>
}

/** A handful covers the distinct header sets an app's routes produce (allowed, preflight, denied). */
const maxTemplates = 8

/** Fastify's own symbol for a reply's header object; `null` when this Fastify has none. */
let headersKey: symbol | null | undefined

function replyHeadersKey(reply: FastifyReply): symbol | null {
  if (headersKey === undefined) {
    const key = Object.getOwnPropertySymbols(reply).find(
      (symbol) => symbol.description === 'fastify.reply.headers',
    )
    const store = key === undefined ? undefined : (reply as unknown as Record<symbol, unknown>)[key]
    headersKey = key !== undefined && typeof store === 'object' && store !== null ? key : null
  }
  return headersKey
}

function isEmpty(object: object): boolean {
  for (const _ in object) return false
  return true
}

/**
 * Fills a copy of `template` with the values of `headers`; `undefined` when their names differ
 * from the template's, in number or in order.
 */
function fill(template: Template, headers: ResponseHeaders): Record<string, string> | undefined {
  const object = Object.assign({}, template.object) as Record<string, string>
  const names = template.names
  let i = 0
  let same = true
  headers.forEach((value, name) => {
    if (same && names[i] === name) object[name] = value
    else same = false
    i++
  })
  return same && i === names.length ? object : undefined
}

/**
 * Per plugin instance: the templates of the header sets seen so far, most recent first, at most
 * {@link maxTemplates}.
 */
export class HeaderTemplates {
  readonly #templates: Template[] = []

  /**
   * Puts the outcome's headers on a reply that has none yet, as one fast object in Fastify's own
   * slot, so `reply.getHeader()`, `reply.removeHeader()` and Fastify's `writeHead` see them as if
   * set by `reply.header()`. Returns `false`, leaving the reply untouched, when the reply already
   * has headers, the outcome sets cookies, or this Fastify keeps its headers elsewhere.
   */
  set(reply: FastifyReply, headers: ResponseHeaders): boolean {
    const key = replyHeadersKey(reply)
    if (key === null) return false
    const slots = reply as unknown as Record<symbol, object>
    if (!isEmpty(slots[key] as object) || headers.has('set-cookie')) return false
    const templates = this.#templates
    for (const template of templates) {
      const object = fill(template, headers)
      if (object !== undefined) {
        slots[key] = object
        return true
      }
    }
    const names: string[] = []
    const entries: [string, string][] = []
    headers.forEach((value, name) => {
      names.push(name)
      entries.push([name, value])
    })
    // Object.fromEntries builds the fast shape at once; stores one by one would not.
    templates.unshift({ names, object: Object.fromEntries(names.map((name) => [name, ''])) })
    if (templates.length > maxTemplates) templates.pop()
    slots[key] = Object.fromEntries(entries)
    return true
  }
}
