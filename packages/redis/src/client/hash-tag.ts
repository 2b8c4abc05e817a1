const escapes: Readonly<Record<string, string>> = { '%': '%25', '{': '%7B', '}': '%7D' }

/**
 * `value` in braces, as the Redis Cluster hash tag of the keys that embed it, so they share one
 * slot. `%`, `{` and `}` are percent-encoded: a brace inside `value` would otherwise end the tag
 * early (or leave it empty, which Redis ignores), and two values could give the same key name.
 * `value` must not be empty: `{}` is no hash tag at all.
 */
export function hashTag(value: string): string {
  return `{${value.replace(/[%{}]/g, (character) => escapes[character] as string)}}`
}
