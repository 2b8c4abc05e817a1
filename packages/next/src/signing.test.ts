import { runSigningSuite } from '@sec/testkit'
import { startFixture } from './testing/next-fixture.js'

// The fixture serves createSigningApp() on test/fixture/app/signing/*: one route handler per
// verifier, wrapped in withSecurity with the verifier as its guards.
runSigningSuite('next', () => startFixture(), { startTimeout: 30_000 })
