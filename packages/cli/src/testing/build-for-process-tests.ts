import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const packageDir = fileURLToPath(new URL('../..', import.meta.url))

function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path))
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

/**
 * Vitest global setup. The process tests spawn the built binary (`node dist/cli.js`), so it is
 * rebuilt first whenever a source is newer than it. (Under turbo, `test` already depends on
 * `build`, and this finds dist fresh.)
 */
export default function setup(): void {
  const built = statSync(join(packageDir, 'dist', 'cli.js'), { throwIfNoEntry: false })?.mtimeMs ?? 0
  const sources = Math.max(
    newestSource(join(packageDir, 'src')),
    statSync(join(packageDir, 'tsup.config.ts')).mtimeMs,
    statSync(join(packageDir, 'package.json')).mtimeMs,
  )
  if (built >= sources) return
  const tsup = createRequire(import.meta.url).resolve('tsup/dist/cli-default.js')
  const build = spawnSync(process.execPath, [tsup], { cwd: packageDir, stdio: 'inherit' })
  if (build.status !== 0) throw new Error('Building @sec/cli (for the process tests) failed.')
}
