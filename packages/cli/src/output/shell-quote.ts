const plain = /^[A-Za-z0-9_\-.,:/@%+=]+$/

/** Quotes a word for POSIX shells: as is when it has no special character, else in single quotes. */
export function shellQuote(word: string): string {
  if (plain.test(word)) return word
  return `'${word.replaceAll("'", `'\\''`)}'`
}
