import { defineConfig } from 'vitest/config';

// Suites are vitest projects so `npm test` can run and count them one by one:
//   unit      — src/**/*.test.ts: graph, engine, workers, cli (no system packages needed)
//   firmware  — rebuilds firmware/ with Debian's cross compiler, checks committed ELFs are fresh,
//               and runs programs whose behaviour depends on the machine version (uart-fifo)
//   reference — compares with real tools: the same ELFs on Debian's qemu-system-riscv32 and on
//               BoardLab (identical output); device trees through Debian's dtc
// Every engine module is loaded before the tests, as the entry points load a board's before building it.
const setupFiles = ['./vitest.setup.ts'];
// The suites spawn the real `boardlab`: its prebuilt CLI is brought up to date once, before them.
const globalSetup = ['./vitest.global-setup.mjs'];

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts'], exclude: ['**/node_modules/**', 'src/**/*.reference.test.ts'], environment: 'node', setupFiles, globalSetup, testTimeout: 30_000 } },
      { test: { name: 'firmware', include: ['firmware/**/*.build.test.ts', 'firmware/**/*.firmware.test.ts'], environment: 'node', setupFiles, globalSetup, testTimeout: 120_000 } },
      { test: { name: 'reference', include: ['firmware/**/*.reference.test.ts', 'src/**/*.reference.test.ts'], environment: 'node', setupFiles, globalSetup, testTimeout: 120_000 } },
    ],
  },
});
