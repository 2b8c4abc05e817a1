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
})
