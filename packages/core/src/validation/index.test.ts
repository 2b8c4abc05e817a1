import { expect, it } from 'vitest'
import * as publicApi from './index.js'

it('exports exactly the public validation API', () => {
  expect(Object.keys(publicApi).sort()).toEqual(['validate'])
})
