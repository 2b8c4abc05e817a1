import { createHash } from 'node:crypto'

/** A Lua script and its SHA-1, the name EVALSHA knows it by. */
export interface LuaScript {
  readonly lua: string
  readonly sha: string
}

/** `lua` with its SHA-1, computed once. */
export function luaScript(lua: string): LuaScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') }
}

/** Whether Redis refused an EVALSHA because it does not hold the script (a restart, `SCRIPT FLUSH`). */
export function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT')
}
