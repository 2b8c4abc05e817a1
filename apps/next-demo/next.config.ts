import type { NextConfig } from 'next'

const config: NextConfig = {
  // No response may advertise the server software: Next.js adds `X-Powered-By: Next.js` by default.
  poweredByHeader: false,
  // Compression is the reverse proxy's job, as for the other demos; it also keeps every demo's
  // responses byte-identical.
  compress: false,
  // Next.js would answer `/path/` with its own 308 to `/path`, before any guard runs and without
  // the security headers; the route handlers answer such paths themselves.
  skipTrailingSlashRedirect: true,
  serverExternalPackages: ['@sec/next'],
}

export default config
