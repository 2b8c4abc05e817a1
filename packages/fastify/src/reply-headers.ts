import { type EarlyResponse, mergeVary, type ResponseHeaders } from '@sec/core'
import type { FastifyReply } from 'fastify'

function addVary(reply: FastifyReply, value: string): void {
  const current = reply.getHeader('vary')
  reply.header('vary', current === undefined ? value : mergeVary(String(current), value))
}

function addCookies(reply: FastifyReply, cookies: readonly string[]): void {
  const current = reply.getHeader('set-cookie')
  const existing = current === undefined ? [] : Array.isArray(current) ? current : [String(current)]
  // Fastify appends each `set-cookie` it is given, so a cookie already set is skipped.
  for (const cookie of cookies) if (!existing.includes(cookie)) reply.header('set-cookie', cookie)
}

/**
 * Sets every header of an outcome's {@link ResponseHeaders} on a Fastify reply: `Vary` merges with
 * the value already there, each `Set-Cookie` stays its own line, any other header replaces the one
 * already set. Setting the same headers twice (in the hook, then in the error handler) changes
 * nothing. Node checks each name and value when the reply is written.
 */
export function setReplyHeaders(reply: FastifyReply, headers: ResponseHeaders): void {
  let cookies = false
  headers.forEach((value, name) => {
    if (name === 'set-cookie') cookies = true
    else if (name === 'vary') addVary(reply, value)
    else reply.header(name, value)
  })
  if (cookies) addCookies(reply, headers.getSetCookie())
}

/**
 * Sends a response the security layer answers itself: its status, its headers over any already
 * set, and its body. When the request body has not fully arrived (a denial before the upload
 * ended), it also sends `Connection: close`, or Node would read the rest of the upload, however
 * large, to keep the connection alive.
 */
export function sendEarly(reply: FastifyReply, early: EarlyResponse): FastifyReply {
  setReplyHeaders(reply, early.headers)
  if (!reply.request.raw.complete) reply.header('connection', 'close')
  reply.code(early.status)
  if (early.body === null) return reply.send()
  // A Buffer, because Fastify appends `; charset=utf-8` to the media type of a string body, and
  // every adapter must send `application/problem+json` as the core sets it.
  return reply.send(Buffer.from(early.body))
}
