import { defineConfig } from 'tsup'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'client-ip': 'src/client-ip/index.ts',
    https: 'src/https/index.ts',
    headers: 'src/headers/index.ts',
    cors: 'src/cors/index.ts',
    body: 'src/body/index.ts',
    validation: 'src/validation/index.ts',
    'url-credentials': 'src/url-credentials/index.ts',
    ratelimit: 'src/ratelimit/index.ts',
    auth: 'src/auth/index.ts',
    authz: 'src/authz/index.ts',
    apikeys: 'src/apikeys/index.ts',
    tokens: 'src/tokens/index.ts',
    signing: 'src/signing/index.ts',
    webhooks: 'src/webhooks/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  clean: true,
  splitting: true,
  sourcemap: true,
  target: 'node20',
})
