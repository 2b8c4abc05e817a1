/**
 * Encodes a value as `application/x-www-form-urlencoded`, as RFC 6749 Appendix B asks for a client
 * id and secret before they go into HTTP Basic: UTF-8, space as `+`, everything but ASCII
 * alphanumerics and `*-._` percent-encoded. That is the WHATWG serializer behind `URLSearchParams`;
 * a conforming server decodes it like the stricter HTML 4.01 form, and servers that skip decoding
 * still read the common ids made of letters, digits, `-`, `.` and `_` unchanged.
 */
export function formUrlEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1)
}

/**
 * The `Authorization` header value for client authentication with `client_secret_basic`
 * (RFC 7662 §2.1, RFC 6749 §2.3.1): HTTP Basic over the form-encoded id and secret, so that a `:`
 * in the id and non-ASCII characters survive.
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${btoa(`${formUrlEncode(clientId)}:${formUrlEncode(clientSecret)}`)}`
}
