import { defineConfig } from 'tsup'

export default defineConfig({
  // `cli` is the `sec` binary (its shebang is the first line of src/cli.ts, which esbuild keeps);
  // `index` is the programmatic API (`run`).
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' }, compilerOptions: { ignoreDeprecations: '6.0' } },
  clean: true,
  sourcemap: true,
  target: 'node20',
})
