// Root test config: one project per package plus the end-to-end tests in test/.
// Tests import packages by name; the alias points each name at its src/index.ts
// so tests run against the sources, not the build.
import { readdirSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;
const packageDirs = readdirSync(resolve(root, 'packages')).filter((d) =>
  existsSync(resolve(root, 'packages', d, 'package.json')),
);
const alias = Object.fromEntries(
  packageDirs.map((d) => [`@farmscope/${d}`, resolve(root, 'packages', d, 'src/index.ts')]),
);

export default defineConfig({
  resolve: { alias },
  test: {
    env: { TZ: 'UTC' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // DuckDB uses all cores per query; running many test files at once on a
    // 2-core machine only adds contention.
    maxWorkers: 2,
    projects: [
      ...packageDirs.map((d) => ({
        extends: true as const,
        test: { name: d, include: [`packages/${d}/test/**/*.test.ts`] },
      })),
      { extends: true as const, test: { name: 'e2e', include: ['test/**/*.test.ts'] } },
    ],
  },
});
