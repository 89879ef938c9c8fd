import { defineConfig, devices } from '@playwright/test';

// End-to-end tests drive Debian's Chromium (never a downloaded browser) against a production build
// served by `vite preview`, which sends the COOP/COEP headers that SharedArrayBuffer needs.
// BOARDLAB_E2E_REUSE=1 reuses a preview server already running on :4173 (faster iteration).
// BOARDLAB_SCREENSHOT=1 also runs e2e/screenshot.spec.ts, which writes docs/screenshot.png.
// BOARDLAB_E2E_PORT=N serves on another port from its own build folder and writes its own report,
// so two runs (say, two developers' branches on one machine) do not collide.
// BOARDLAB_E2E_BUILT=1 serves the build folder as it is: `npm test` (scripts/test.mjs) builds it while
// the static checks run.
const PORT = Number(process.env.BOARDLAB_E2E_PORT ?? 4173);
const SEPARATE = PORT !== 4173;
const OUT_DIR = SEPARATE ? `dist-e2e-${PORT}` : 'dist';
const RESULTS = SEPARATE ? `test-results/e2e-${PORT}` : 'test-results/e2e';
const PREVIEW = `npx vite preview --outDir ${OUT_DIR} --port ${PORT} --strictPort`;
const CHROMIUM = { ...devices['Desktop Chrome'], viewport: { width: 1440, height: 900 } };
const WORKERS = Number(process.env.BOARDLAB_E2E_WORKERS ?? 1);
/**
 * Specs that measure time (frames drawn, how fast the page answers, instructions per second on each
 * tier, an LED's pace in wall time): they run one at a time in their own project, `timing`, which
 * `npm test` (scripts/test.mjs) runs after the others, so that no other test shares the cores with
 * them however many workers run `chromium`, the project of every other spec.
 */
const TIMING_SPECS = ['**/fault-loop.spec.ts', '**/tiers.spec.ts', '**/debugger.spec.ts'];
const SCREENSHOT_SPECS = process.env.BOARDLAB_SCREENSHOT === '1' ? [] : ['**/screenshot.spec.ts'];

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  // BOARDLAB_E2E_WORKERS=2 runs the `chromium` project two tests at a time (CI has two cores); one
  // at a time until three runs of the whole suite on a quiet machine have shown it reliable.
  workers: WORKERS,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  // Artifacts go in a subfolder: Playwright empties its outputDir, and other suites write to test-results/.
  outputDir: `${RESULTS}-artifacts`,
  reporter: [['list'], ['json', { outputFile: `${RESULTS}.json` }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: [
    { name: 'chromium', use: CHROMIUM, testIgnore: [...SCREENSHOT_SPECS, ...TIMING_SPECS] },
    { name: 'timing', use: CHROMIUM, testMatch: TIMING_SPECS, workers: 1, outputDir: `${RESULTS}-timing-artifacts` },
  ],
  webServer: {
    command: process.env.BOARDLAB_E2E_BUILT === '1' ? PREVIEW : `npx vite build --outDir ${OUT_DIR} && ${PREVIEW}`,
    url: `http://localhost:${PORT}`,
    timeout: 300_000,
    reuseExistingServer: process.env.BOARDLAB_E2E_REUSE === '1',
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
