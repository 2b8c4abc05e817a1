import { expect, it } from 'vitest'
import * as publicApi from './index.js'

it('exports exactly the public body API', () => {
  expect(Object.keys(publicApi).sort()).toEqual(['body'])
})
