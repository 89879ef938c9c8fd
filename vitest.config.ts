import { defineConfig } from 'vitest/config';

// Suites are vitest projects so `npm test` can run and count them one by one:
//   unit      — src/**/*.test.ts: graph, engine, workers, cli (no system packages needed)
//   firmware  — rebuilds firmware/ with Debian's cross compiler, checks committed ELFs are fresh
//   reference — runs the same ELFs on Debian's qemu-system-riscv32 and on BoardLab, compares output
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'firmware', include: ['firmware/**/*.build.test.ts'], environment: 'node', testTimeout: 120_000 } },
      { test: { name: 'reference', include: ['firmware/**/*.reference.test.ts'], environment: 'node', testTimeout: 120_000 } },
    ],
  },
});
