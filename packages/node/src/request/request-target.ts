const absoluteForm = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//

/**
 * The request target in origin form (`/path?query`), as received. A proxy-style absolute-form
 * target (`http://host/path?query`, RFC 9112 section 3.2.2) keeps its path and query only, so
 * guards see the same path the router matches. `*` (for `OPTIONS *`) and anything else that is
 * not absolute-form are returned unchanged.
 */
export function originForm(url: string | undefined): string {
  if (url === undefined || url === '') return '/'
  if (url.charCodeAt(0) === 0x2f) return url
  const scheme = absoluteForm.exec(url)
  if (scheme === null) return url
  for (let i = scheme[0].length; i < url.length; i++) {
    const c = url.charCodeAt(i)
    if (c === 0x2f) return url.slice(i)
    if (c === 0x3f || c === 0x23) return `/${url.slice(i)}`
  }
  return '/'
}
