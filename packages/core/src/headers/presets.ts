import { type CspDirectives, nonceSource } from './content-security-policy.js'

/**
 * Which defaults the `headers()` guard starts from.
 * - `'api'`: responses that are data (JSON, problem+json), never rendered as a page.
 * - `'web'`: HTML pages, with a strict nonce-based Content-Security-Policy.
 */
export type HeadersPreset = 'api' | 'web'

/**
 * Powerful browser features no response of ours needs to grant: device sensors and hardware,
 * capture, payments, location. Each is denied to the page and every frame in it. Limited to
 * features Chromium recognizes, so browsers log no "unrecognized feature" warnings. Fullscreen,
 * autoplay, clipboard and WebAuthn (`publickey-credentials-*`) are left at their defaults (the
 * page's own origin), which is what most sites need.
 */
export const deniedFeatures: readonly string[] = [
  'accelerometer',
  'bluetooth',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'hid',
  'idle-detection',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'screen-wake-lock',
  'serial',
  'usb',
  'xr-spatial-tracking',
]

/** The headers a preset sets besides the CSP, keyed by the option that overrides each. */
export interface PresetHeaders {
  readonly crossOriginEmbedderPolicy?: string
  readonly crossOriginOpenerPolicy?: string
  readonly crossOriginResourcePolicy?: string
  readonly originAgentCluster?: string
  readonly permissionsPolicy?: string
  readonly referrerPolicy?: string
  readonly cacheControl?: string
  readonly xContentTypeOptions?: string
  readonly xFrameOptions?: string
  readonly xPermittedCrossDomainPolicies?: string
  readonly xXssProtection?: string
}

/** A preset: its CSP directives and its other headers. */
export interface Preset {
  readonly csp: CspDirectives
  readonly headers: PresetHeaders
}

const permissionsPolicy = deniedFeatures.map((feature) => `${feature}=()`).join(', ')

const common: PresetHeaders = {
  crossOriginOpenerPolicy: 'same-origin',
  crossOriginResourcePolicy: 'same-origin',
  permissionsPolicy,
  referrerPolicy: 'strict-origin-when-cross-origin',
  xContentTypeOptions: 'nosniff',
  xFrameOptions: 'DENY',
  xPermittedCrossDomainPolicies: 'none',
  xXssProtection: '0',
}

/** The two presets. Their choices are explained on `HeadersOptions`. */
export const presets: Readonly<Record<HeadersPreset, Preset>> = {
  api: {
    csp: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    headers: { ...common, cacheControl: 'no-store' },
  },
  web: {
    csp: {
      defaultSrc: ["'self'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
      scriptSrc: ["'self'", nonceSource, "'strict-dynamic'"],
      styleSrc: ["'self'", nonceSource],
      imgSrc: ["'self'", 'data:'],
      upgradeInsecureRequests: true,
    },
    headers: { ...common, originAgentCluster: '?1' },
  },
}
