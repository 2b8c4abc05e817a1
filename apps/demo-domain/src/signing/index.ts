export {
  type DemoMachineClient,
  deliveryIdLifetime,
  demoClientCredentials,
  demoMachineClients,
  demoSigV4Naming,
  demoSigV4Scope,
  demoWebhookSecret,
  signatureTolerance,
  webhookNoteOwner,
} from './demo-signing-credentials.js'
export { oncePerDelivery } from './once-per-delivery.js'
