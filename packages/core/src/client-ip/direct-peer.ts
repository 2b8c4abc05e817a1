import { parseIpNode } from './ip-address.js'
import { compileRanges } from './ip-ranges.js'

const isLoopback = compileRanges(['loopback'], 'loopback')

/** Whether a socket peer address is a loopback address (127.0.0.0/8, ::1, or IPv4-mapped 127.x). */
export function isLoopbackPeer(remoteAddress: string | undefined): boolean {
  const peer = parseIpNode(remoteAddress)
  return peer !== undefined && isLoopback(peer)
}
