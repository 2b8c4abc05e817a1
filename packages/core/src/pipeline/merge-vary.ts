function hasToken(list: string, token: string): boolean {
  const lower = token.toLowerCase()
  for (const item of list.split(',')) {
    const trimmed = item.trim()
    if (trimmed === '*' || trimmed.toLowerCase() === lower) return true
  }
  return false
}

/**
 * The `Vary` value after adding the tokens of `added` to `current`, the value a framework or
 * another middleware (compression, say) already set: each token once, compared
 * case-insensitively, and none once `current` holds `*`. Adapters call it to put an outcome's
 * `Vary` on a response without dropping what was there.
 */
export function mergeVary(current: string, added: string): string {
  let merged = current
  for (const item of added.split(',')) {
    const token = item.trim()
    if (token !== '' && !hasToken(merged, token)) merged = `${merged}, ${token}`
  }
  return merged
}
