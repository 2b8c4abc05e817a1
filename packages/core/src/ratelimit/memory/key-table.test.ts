import { describe, expect, it } from 'vitest'
import { KeyTable } from './key-table.js'

/** A table whose slots are replenished at the time stored as their first value. */
function table(maxKeys: number): KeyTable {
  const created: KeyTable = new KeyTable(maxKeys, (slot) => created.values[slot * created.stride] as number)
  return created
}

/** Adds `key` with a replenish time, as the store does on a first write. */
function put(keys: KeyTable, key: string, replenishedAt: number, now = 0): number {
  const slot = keys.add(key, now)
  keys.values[slot * keys.stride] = replenishedAt
  return slot
}

function held(keys: KeyTable, names: readonly string[]): string[] {
  return names.filter((name) => keys.find(name) !== undefined)
}

describe('KeyTable', () => {
  it('evicts the least recently added key seen once when full', () => {
    const keys = table(3)
    put(keys, 'a', 100)
    put(keys, 'b', 100)
    put(keys, 'c', 100)
    put(keys, 'd', 100)
    expect(keys.size).toBe(3)
    expect(held(keys, ['a', 'b', 'c', 'd'])).toEqual(['b', 'c', 'd'])
  })

  it('keeps keys seen again while keys seen once churn', () => {
    const keys = table(5)
    for (const name of ['a', 'b', 'c', 'd']) keys.touch(put(keys, name, 100))
    for (let i = 0; i < 50; i++) put(keys, `flood${i}`, 100)
    expect(keys.size).toBe(5)
    expect(held(keys, ['a', 'b', 'c', 'd', 'flood48', 'flood49'])).toEqual(['a', 'b', 'c', 'd', 'flood49'])
  })

  it('sends the least recently seen protected key back to probation past 80% of maxKeys', () => {
    const keys = table(5)
    for (const name of ['a', 'b', 'c', 'd', 'e']) keys.touch(put(keys, name, 100))
    // Protected holds 4: 'a', seen least recently, went back to probation and is the next victim.
    put(keys, 'f', 100)
    expect(held(keys, ['a', 'b', 'c', 'd', 'e', 'f'])).toEqual(['b', 'c', 'd', 'e', 'f'])
  })

  it('moves a protected key seen again to the head of its segment', () => {
    const keys = table(5)
    for (const name of ['a', 'b', 'c', 'd']) keys.touch(put(keys, name, 100))
    keys.touch(keys.find('a') as number)
    keys.touch(put(keys, 'e', 100))
    // 'b' is now the least recent protected key: it went back to probation, then out.
    put(keys, 'f', 100)
    expect(held(keys, ['a', 'b', 'c', 'd', 'e', 'f'])).toEqual(['a', 'c', 'd', 'e', 'f'])
  })

  it('drops a replenished key first, from either segment, before losing live state', () => {
    const keys = table(4)
    keys.touch(put(keys, 'old', 50))
    keys.touch(put(keys, 'busy', 5000))
    put(keys, 'p1', 5000)
    put(keys, 'p2', 5000)
    put(keys, 'new', 5000, 100)
    expect(held(keys, ['old', 'busy', 'p1', 'p2', 'new'])).toEqual(['busy', 'p1', 'p2', 'new'])
    keys.values[(keys.find('p1') as number) * keys.stride] = 150
    put(keys, 'newer', 5000, 200)
    expect(held(keys, ['busy', 'p1', 'p2', 'new', 'newer'])).toEqual(['busy', 'p2', 'new', 'newer'])
  })

  it('holds one key when maxKeys is 1, seen again or not', () => {
    const keys = table(1)
    put(keys, 'a', 100)
    keys.touch(keys.find('a') as number)
    put(keys, 'b', 100)
    expect(held(keys, ['a', 'b'])).toEqual(['b'])
  })

  it('reuses the slots of deleted keys and forgets their kind and log', () => {
    const keys = table(10)
    const a = put(keys, 'a', 100)
    keys.setKind(a, 4)
    keys.logs[a] = { entries: [1, 1], head: 0, used: 1 }
    keys.touch(a)
    expect(keys.kind(a)).toBe(4)
    keys.delete('a')
    keys.delete('missing')
    expect(keys.size).toBe(0)
    expect(keys.find('a')).toBeUndefined()
    expect(keys.logs[a]).toBeUndefined()
    const b = put(keys, 'b', 100)
    expect(b).toBe(a)
    expect(keys.kind(b)).toBe(0)
  })

  it('grows its values up to maxKeys, and widens them once, keeping every value', () => {
    const keys = table(5000)
    for (let i = 0; i < 3000; i++) {
      const at = put(keys, `k${i}`, i) * keys.stride
      keys.values[at + 1] = -i
    }
    keys.useStride(3)
    keys.useStride(2)
    expect(keys.stride).toBe(3)
    for (let i = 3000; i < 5000; i++) {
      const at = put(keys, `k${i}`, i) * keys.stride
      keys.values[at + 1] = -i
      keys.values[at + 2] = i * 2
    }
    expect(keys.size).toBe(5000)
    for (let i = 0; i < 5000; i++) {
      const at = (keys.find(`k${i}`) as number) * 3
      expect([keys.values[at], keys.values[at + 1], keys.values[at + 2]]).toEqual([
        i,
        -i,
        i < 3000 ? 0 : i * 2,
      ])
    }
    expect(keys.values.length).toBe(3 * 5002)
    put(keys, 'one more', 1e9)
    expect(keys.size).toBe(5000)
    expect(keys.find('k0')).toBeUndefined()
  })

  it('keeps namespaces apart, under one bound and one eviction order', () => {
    const keys = table(3)
    const api = keys.space('api') as number
    const search = keys.space('search') as number
    expect([api, search, keys.space('api')]).toEqual([1, 2, 1])
    expect(keys.existingSpace('search')).toBe(search)
    expect(keys.existingSpace('reports')).toBeUndefined()
    const inApi = keys.add('k', 0, api)
    const inSearch = keys.add('k', 0, search)
    const whole = keys.add('k', 0)
    expect(new Set([inApi, inSearch, whole]).size).toBe(3)
    expect([keys.find('k', api), keys.find('k', search), keys.find('k')]).toEqual([inApi, inSearch, whole])
    keys.values[inSearch * keys.stride] = 100
    keys.values[whole * keys.stride] = 100
    keys.values[inApi * keys.stride] = 100
    keys.add('x', 0, search)
    expect(keys.size).toBe(3)
    expect(keys.find('k', api)).toBeUndefined()
    expect(keys.find('k', search)).toBe(inSearch)
    keys.delete('k', search)
    keys.delete('k', api)
    expect([keys.find('k', search), keys.find('k'), keys.size]).toEqual([undefined, whole, 2])
  })

  it('holds at most 65,535 named namespaces', () => {
    const keys = table(10)
    for (let i = 1; i < 0x10000; i++) keys.space(`n${i}`)
    expect(keys.space('n65535')).toBe(65_535)
    expect(keys.space('one more')).toBeUndefined()
    expect(keys.existingSpace('one more')).toBeUndefined()
    expect(keys.space('n1')).toBe(1)
  })

  it('lets protected keys pass 80% of maxKeys until room is needed, then gives back two per eviction', () => {
    const keys = table(10)
    const names = Array.from({ length: 10 }, (_, i) => `k${i}`)
    for (const name of names) keys.touch(put(keys, name, 100))
    expect(keys.size).toBe(10)
    put(keys, 'n1', 100)
    // k0 and k1 went back to probation, in that order, and k0 was the victim.
    expect(held(keys, names)).toEqual(names.slice(1))
    put(keys, 'n2', 100)
    put(keys, 'n3', 100)
    expect(held(keys, [...names, 'n1', 'n2', 'n3'])).toEqual([...names.slice(2), 'n2', 'n3'])
  })

  it('gives a protected key seen again a second chance, at most eight keys in a row per demotion', () => {
    const keys = table(20)
    const names = Array.from({ length: 20 }, (_, i) => `k${i}`)
    for (const name of names) keys.touch(put(keys, name, 100))
    for (const name of names) keys.touch(keys.find(name) as number)
    put(keys, 'new', 100)
    // k0 to k7 had their second chance; k8 went back to probation all the same, and out.
    expect(held(keys, names)).toEqual(names.filter((name) => name !== 'k8'))
    for (const name of names.slice(9)) keys.touch(keys.find(name) as number)
    put(keys, 'newer', 100)
    put(keys, 'last', 100)
    // k18 and k19, seen again, had a second chance; k0 and k1, not seen since theirs, went back to
    // probation, behind the key seen once, which went first.
    expect(held(keys, [...names, 'new', 'newer', 'last'])).toEqual([
      ...names.filter((name) => name !== 'k0' && name !== 'k8'),
      'newer',
      'last',
    ])
  })
})
