export {
  createDemoSecurity,
  type DemoRoutes,
  type DemoSecurity,
  type DemoSecurityOptions,
  demoOrigin,
  noteBodyLimit,
} from './demo-security.js'
