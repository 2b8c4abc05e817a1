/**
 * The `Retry-After` of the 503 `auth-unavailable` that the `bearer()` and `apiKey()` guards answer
 * while a credential cannot be checked (its key set, introspection endpoint or store does not
 * answer), in seconds.
 */
export const authUnavailableRetryAfter = 5
