import { describe, expect, it } from 'vitest'
import { listenPort } from './listen-port.js'

describe('listenPort', () => {
  it('falls back when PORT is unset or empty', () => {
    expect(listenPort(undefined, 3001)).toBe(3001)
    expect(listenPort('', 3001)).toBe(3001)
  })

  it.each([
    ['0', 0],
    ['8080', 8080],
    ['65535', 65_535],
  ])('reads %s', (value, port) => {
    expect(listenPort(value, 3001)).toBe(port)
  })

  it.each(['65536', '-1', '80.5', ' 80', '0x50', 'http', '123456'])('refuses %j', (value) => {
    expect(() => listenPort(value, 3001)).toThrow(
      `PORT must be a whole number from 0 to 65535, got "${value}".`,
    )
  })
})
