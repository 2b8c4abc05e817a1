import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { HeaderBlock, ResponseHeaders, setHeaderBlock } from './response-headers.js'

describe('ResponseHeaders', () => {
  it('compares names case-insensitively and lists them lower-case, in insertion order', () => {
    const headers = new ResponseHeaders()
    headers.set('X-Frame-Options', 'DENY')
    headers.set('cache-control', 'no-store')
    headers.set('X-FRAME-OPTIONS', 'SAMEORIGIN')
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(headers.has('Cache-Control')).toBe(true)
    expect([...headers]).toEqual([
      ['x-frame-options', 'SAMEORIGIN'],
      ['cache-control', 'no-store'],
    ])
    expect([...headers.keys()]).toEqual(['x-frame-options', 'cache-control'])
    expect([...headers.values()]).toEqual(['SAMEORIGIN', 'no-store'])
  })

  it('answers null and false for an absent header, and deletes', () => {
    const headers = new ResponseHeaders()
    headers.set('vary', 'Origin')
    headers.delete('Vary')
    expect(headers.get('vary')).toBeNull()
    expect(headers.has('vary')).toBe(false)
    expect([...headers]).toEqual([])
  })

  it('joins appended values with a comma, as Headers does', () => {
    const headers = new ResponseHeaders()
    headers.append('Vary', 'Origin')
    headers.append('vary', 'Accept')
    expect(headers.get('vary')).toBe('Origin, Accept')
    expect(headers.getSetCookie()).toEqual([])
  })

  it('keeps each Set-Cookie on its own', () => {
    const headers = new ResponseHeaders()
    headers.append('Set-Cookie', 'a=1')
    headers.append('set-cookie', 'b=2')
    headers.set('x-a', '1')
    expect(headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(headers.get('set-cookie')).toBe('a=1, b=2')
    expect([...headers.entries()]).toEqual([
      ['x-a', '1'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ])
    const seen: string[] = []
    headers.forEach((value, name, self) => {
      expect(self).toBe(headers)
      seen.push(`${name}=${value}`)
    })
    expect(seen).toEqual(['x-a=1', 'set-cookie=a=1', 'set-cookie=b=2'])
    headers.set('set-cookie', 'c=3')
    expect(headers.getSetCookie()).toEqual(['c=3'])
    headers.delete('Set-Cookie')
    expect(headers.has('set-cookie')).toBe(false)
  })

  it('copies: changing the copy leaves the original alone', () => {
    const original = new ResponseHeaders()
    original.set('x-a', '1')
    original.append('set-cookie', 'a=1')
    const copy = new ResponseHeaders(original)
    copy.set('x-b', '2')
    copy.append('set-cookie', 'b=2')
    expect(Object.fromEntries(original)).toEqual({ 'x-a': '1', 'set-cookie': 'a=1' })
    expect([...copy]).toEqual([
      ['x-a', '1'],
      ['x-b', '2'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ])
  })

  it('changes its revision on every set, append and delete, and on nothing else', () => {
    const headers = new ResponseHeaders()
    const seen = [headers.revision]
    headers.set('x-a', '1')
    seen.push(headers.revision)
    headers.get('x-a')
    headers.has('x-a')
    headers.forEach(() => {})
    seen.push(headers.revision)
    headers.append('vary', 'Origin')
    seen.push(headers.revision)
    headers.append('set-cookie', 'a=1')
    seen.push(headers.revision)
    headers.delete('x-a')
    seen.push(headers.revision)
    expect(seen).toEqual([0, 1, 1, 2, 3, 4])
  })

  it('behaves with a header block exactly as if its headers had been set one by one', () => {
    const names = ['x-a', 'X-B', 'vary', 'set-cookie', 'x-c']
    const block = new HeaderBlock([
      ['X-A', 'block-a'],
      ['vary', 'Origin'],
      ['x-c', 'block-c'],
    ])
    const operation = fc.oneof(
      fc.record({ op: fc.constant('block' as const) }),
      fc.record({
        op: fc.constantFrom('set' as const, 'append' as const),
        name: fc.constantFrom(...names),
        value: fc.string(),
      }),
      fc.record({ op: fc.constant('delete' as const), name: fc.constantFrom(...names) }),
    )
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 12 }), (operations) => {
        const headers = new ResponseHeaders()
        const model = new ResponseHeaders()
        for (const step of operations) {
          const before = headers.revision
          if (step.op === 'block') {
            setHeaderBlock(headers, block)
            for (let i = 0; i < block.names.length; i++)
              model.set(block.names[i] as string, block.values[i] as string)
          } else if (step.op === 'delete') {
            headers.delete(step.name)
            model.delete(step.name)
          } else {
            headers[step.op](step.name, step.value)
            model[step.op](step.name, step.value)
          }
          expect(headers.revision).toBeGreaterThan(before)
          const copy = new ResponseHeaders(headers)
          copy.set('x-a', 'copy')
          copy.delete('vary')
          expect([...headers]).toEqual([...model])
          for (const name of names) {
            expect(headers.get(name)).toBe(model.get(name))
            expect(headers.has(name)).toBe(model.has(name))
          }
        }
        const seen: [string, string][] = []
        headers.forEach((value, name) => {
          seen.push([name, value])
        })
        expect(seen).toEqual([...model])
      }),
    )
  })

  it('makes a block of lower-case names, a later one replacing an earlier, and never Set-Cookie', () => {
    const block = new HeaderBlock([
      ['X-A', '1'],
      ['x-b', '2'],
      ['x-a', '3'],
    ])
    expect(block.names).toEqual(['x-a', 'x-b'])
    expect(block.values).toEqual(['3', '2'])
    expect(block.valueOf('x-b')).toBe('2')
    expect(block.holds('x-c')).toBe(false)
    expect(() => new HeaderBlock([['Set-Cookie', 'a=1']])).toThrow('A header block cannot hold Set-Cookie.')
  })
})
