import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

/** What {@link buildIfStale} builds. */
export interface BuildIfStaleOptions {
  /** The package's directory (where its `package.json` and `tsup.config.ts` are). */
  readonly packageDir: string
  /** The built file whose age decides, relative to `packageDir`, e.g. `'dist/index.js'`. */
  readonly output: string
  /** Why the tests need the build, for the error message, e.g. `'the decision worker processes'`. */
  readonly neededBy: string
}

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
 * For a vitest global setup of a package whose tests run its built `dist` in other processes:
 * rebuilds it with the package's own tsup whenever a source, `tsup.config.ts` or `package.json`
 * is newer than `output`. Under turbo, `test` already depends on `build`, and this finds dist
 * fresh.
 */
export function buildIfStale({ packageDir, output, neededBy }: BuildIfStaleOptions): void {
  const built = statSync(join(packageDir, output), { throwIfNoEntry: false })?.mtimeMs ?? 0
  const sources = Math.max(
    newestSource(join(packageDir, 'src')),
    statSync(join(packageDir, 'tsup.config.ts')).mtimeMs,
    statSync(join(packageDir, 'package.json')).mtimeMs,
  )
  if (built >= sources) return
  const tsup = createRequire(join(packageDir, 'package.json')).resolve('tsup/dist/cli-default.js')
  const build = spawnSync(process.execPath, [tsup], { cwd: packageDir, stdio: 'inherit' })
  if (build.status !== 0) throw new Error(`Building ${packageDir} (for ${neededBy}) failed.`)
}
