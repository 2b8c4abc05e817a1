export {
  apiSecurityHeaders,
  type DemoServer,
  type DemoSuiteOptions,
  runDemoSuite,
  type StartDemoServer,
} from './demo-suite.js'
