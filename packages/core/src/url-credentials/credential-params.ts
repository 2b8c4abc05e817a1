/**
 * Query parameter names that carry credentials, matched case-insensitively on the decoded name.
 *
 * Left out on purpose: `key` (sort keys, cache keys, settings: far too many false alarms), `code`
 * and `state` (the OAuth redirect puts them in the URL by design), `sig`, `signature`, `expires`
 * and `x-amz-*` (pre-signed URLs are meant to travel in the URL and expire quickly). Add any of them
 * with `extraParams` if your API never takes them in a query.
 */
export const defaultCredentialParams: readonly string[] = Object.freeze([
  'access_token',
  'accesstoken',
  'token',
  'id_token',
  'refresh_token',
  'auth_token',
  'authtoken',
  'private_token',
  'bearer',
  'jwt',
  'api_key',
  'apikey',
  'api-key',
  'x-api-key',
  'client_secret',
  'secret',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'auth',
  'authorization',
  'session',
  'sessionid',
  'session_id',
  'session_token',
  'jsessionid',
  'phpsessid',
])
