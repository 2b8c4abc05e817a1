/** The `iss` of every conformance token, and the issuer the conformance app accepts. */
export const conformanceIssuer = 'https://auth.example.com/'

/** The `aud` of the conformance tokens (but one), and the audience the conformance app accepts. */
export const conformanceAudience = 'https://api.example.com'

/** The public key (Ed25519) of the conformance issuer: the app's local key set holds only it. */
export const conformancePublicJwk = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: 'u36x04oli13U-aUl81fYwSFTtCAICCZwD2SgjVCggGg',
  kid: 'conformance-1',
  alg: 'EdDSA',
  use: 'sig',
}

/**
 * Access tokens for the conformance cases, fixed text so that every run and every adapter sends the
 * same bytes. EdDSA signatures are deterministic: signing the same header and claims with the
 * issuer's key gives the same token again (the testkit's own tests check this, and decode every
 * claim). Header `{"alg":"EdDSA","kid":"conformance-1","typ":"at+jwt"}`; claims `iss`, `aud`, `sub`,
 * `scope`, `roles`, `jti`, `iat` 2026-01-01 and `exp` 2100-01-01 unless said otherwise.
 */
export const conformanceTokens = {
  /** `sub: alice`, scopes `notes:read notes:write`, role `user`. */
  alice:
    'eyJhbGciOiJFZERTQSIsImtpZCI6ImNvbmZvcm1hbmNlLTEiLCJ0eXAiOiJhdCtqd3QifQ.eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS5jb20vIiwiYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZS5jb20iLCJzdWIiOiJhbGljZSIsInNjb3BlIjoibm90ZXM6cmVhZCBub3Rlczp3cml0ZSIsInJvbGVzIjpbInVzZXIiXSwianRpIjoidG9rX2FsaWNlIiwiaWF0IjoxNzY3MjI1NjAwLCJleHAiOjQxMDI0NDQ4MDB9.sNRkq4xhetdjCv0W0LTaKV1joJbGeHBZzqbiaEc1ukdRwBboZ12_c9ImGGWU4_OwtIDSMLwTAOp9ByywaSz-Bw',
  /** `sub: bob`, scope `notes:write` only (no `notes:read`), role `user`. */
  bob: 'eyJhbGciOiJFZERTQSIsImtpZCI6ImNvbmZvcm1hbmNlLTEiLCJ0eXAiOiJhdCtqd3QifQ.eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS5jb20vIiwiYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZS5jb20iLCJzdWIiOiJib2IiLCJzY29wZSI6Im5vdGVzOndyaXRlIiwicm9sZXMiOlsidXNlciJdLCJqdGkiOiJ0b2tfYm9iIiwiaWF0IjoxNzY3MjI1NjAwLCJleHAiOjQxMDI0NDQ4MDB9.UIZgQhU5LEA_WPDeevweqiNup28ZQR5Vwna98SnJkj3tCc_iNpgOsrhCWijwp6jn3b4Xb5B8foWbpYTb_QoUBg',
  /** `sub: admin`, scopes `notes:read notes:write`, role `admin`. */
  admin:
    'eyJhbGciOiJFZERTQSIsImtpZCI6ImNvbmZvcm1hbmNlLTEiLCJ0eXAiOiJhdCtqd3QifQ.eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS5jb20vIiwiYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZS5jb20iLCJzdWIiOiJhZG1pbiIsInNjb3BlIjoibm90ZXM6cmVhZCBub3Rlczp3cml0ZSIsInJvbGVzIjpbImFkbWluIl0sImp0aSI6InRva19hZG1pbiIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjo0MTAyNDQ0ODAwfQ.qtLirQqD4PTkr6BDNR_jnErxaoVmadmgD32fojrpME1UPCSihJRjK7kc0vMLzF362jLD58EBsErz5xkGJFaHAg',
  /** Alice's claims with `exp` 2026-01-01T00:15Z: properly signed, long expired. */
  expired:
    'eyJhbGciOiJFZERTQSIsImtpZCI6ImNvbmZvcm1hbmNlLTEiLCJ0eXAiOiJhdCtqd3QifQ.eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS5jb20vIiwiYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZS5jb20iLCJzdWIiOiJhbGljZSIsInNjb3BlIjoibm90ZXM6cmVhZCBub3Rlczp3cml0ZSIsInJvbGVzIjpbInVzZXIiXSwianRpIjoidG9rX2FsaWNlX2V4cGlyZWQiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyNjUwMH0.gxW8104EEUYmCBYIgUxH7UZ6xr2HORtUJmZWKorYZZfzbA1J-Sr7FUyaJmp4VN1Ewx18kkqYIJA5NhqRutUMCw',
  /** Alice's claims for another API (`aud: https://other-api.example.com`), properly signed. */
  wrongAudience:
    'eyJhbGciOiJFZERTQSIsImtpZCI6ImNvbmZvcm1hbmNlLTEiLCJ0eXAiOiJhdCtqd3QifQ.eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS5jb20vIiwiYXVkIjoiaHR0cHM6Ly9vdGhlci1hcGkuZXhhbXBsZS5jb20iLCJzdWIiOiJhbGljZSIsInNjb3BlIjoibm90ZXM6cmVhZCBub3Rlczp3cml0ZSIsInJvbGVzIjpbInVzZXIiXSwianRpIjoidG9rX2FsaWNlX290aGVyX2FwaSIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjo0MTAyNDQ0ODAwfQ.aYOSdBaoWXf7P6w_AySYe4Ye8HZNenrWpGzpOkqdaKUoviW0G4z8HeSVy3e27McWtNn4df994pGHwe8YweUeAw',
  /** Alice's claims under the issuer's `kid`, signed with another Ed25519 key: a forgery. */
  foreignKey:
    'eyJhbGciOiJFZERTQSIsImtpZCI6ImNvbmZvcm1hbmNlLTEiLCJ0eXAiOiJhdCtqd3QifQ.eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS5jb20vIiwiYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZS5jb20iLCJzdWIiOiJhbGljZSIsInNjb3BlIjoibm90ZXM6cmVhZCBub3Rlczp3cml0ZSIsInJvbGVzIjpbInVzZXIiXSwianRpIjoidG9rX2FsaWNlX2ZvcmdlZCIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjo0MTAyNDQ0ODAwfQ.j_Glm5tl6WvgFLLJWkcXqoFO4HvC8V0yOjTd4Tahln24n8kHpSbIFFcfgPOLmnUdk44MRkwPnu82WCnwWjfTCA',
  /** Alice's claims unsigned: header `{"alg":"none","typ":"at+jwt"}` and an empty signature. */
  algNone:
    'eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS5jb20vIiwiYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZS5jb20iLCJzdWIiOiJhbGljZSIsInNjb3BlIjoibm90ZXM6cmVhZCBub3Rlczp3cml0ZSIsInJvbGVzIjpbInVzZXIiXSwianRpIjoidG9rX2FsaWNlX3Vuc2lnbmVkIiwiaWF0IjoxNzY3MjI1NjAwLCJleHAiOjQxMDI0NDQ4MDB9.',
} as const

/**
 * API keys for the conformance cases, fixed text in the `createApiKeys` format (checksums valid).
 * The app's store holds every one of them, hashed; the deployment is `live`.
 */
export const conformanceApiKeys = {
  /** A live secret key of `svc_reports` with scope `notes:read`. */
  live: 'sk_live_IDDtw7P720do_ZQhJAbCbWYSY5w98IO7lI62zFatG',
  /** A live secret key of `svc_backup` without scopes. */
  unscoped: 'sk_live_8uwBHGTHrJoO_eInTb6h1Bk5aTPBLL0Ebmj0F1yPX',
  /** A live publishable key of `svc_reports` with scope `notes:read`: publishable keys authenticate nothing here. */
  publishable: 'pk_live_f0AVKcLjsuT9_HVisTF75lb92ROJ7sweLU92BGPZb',
  /** A test-environment secret key of `svc_reports` with scope `notes:read`, refused by the live deployment. */
  testEnvironment: 'sk_test_ndBGYOmKnbkD_7P0kcHyQll3wRmddKqVYpN0t77am',
} as const

/** Who owns each conformance API key, and the scopes it grants. */
export const conformanceApiKeyGrants: Readonly<
  Record<keyof typeof conformanceApiKeys, { readonly owner: string; readonly scopes: readonly string[] }>
> = {
  live: { owner: 'svc_reports', scopes: ['notes:read'] },
  unscoped: { owner: 'svc_backup', scopes: [] },
  publishable: { owner: 'svc_reports', scopes: ['notes:read'] },
  testEnvironment: { owner: 'svc_reports', scopes: ['notes:read'] },
}
