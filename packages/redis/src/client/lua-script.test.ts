import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { isNoScript, luaScript } from './lua-script.js'

describe('luaScript', () => {
  it('keeps the script with its SHA-1, the name EVALSHA knows it by', () => {
    const lua = "return redis.call('TIME')"
    expect(luaScript(lua)).toEqual({ lua, sha: createHash('sha1').update(lua).digest('hex') })
    expect(luaScript('return 1').sha).toBe('e0e1f9fabfc9d4800c877a703b823ac0578ff8db')
  })
})

describe('isNoScript', () => {
  it.each<[unknown, boolean]>([
    [new Error('NOSCRIPT No matching script. Please use EVAL.'), true],
    [new Error('ERR unknown command'), false],
    [new Error('Command timed out'), false],
    ['NOSCRIPT No matching script.', false],
    [undefined, false],
  ])('tells %s apart', (error, expected) => {
    expect(isNoScript(error)).toBe(expected)
  })
})
