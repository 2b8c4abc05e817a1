export {
  runSigningSuite,
  type SigningSuiteOptions,
  type StartSigningServer,
  signedJsonBody,
} from './run-signing-suite.js'
