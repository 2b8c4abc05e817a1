/**
 * Whether a key is `__proto__`, `constructor` or `prototype`: refused at any depth of a parsed
 * body or query, because merged or assigned into a plain object (`Object.assign`, a spread into a
 * class, lodash `merge`) they reach the prototype chain. Compares lengths first: it runs on every key.
 */
export function isForbiddenKey(key: string): boolean {
  const length = key.length
  return (
    (length === 9 && (key === '__proto__' || key === 'prototype')) || (length === 11 && key === 'constructor')
  )
}
