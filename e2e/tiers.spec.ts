// The run panel's execution tier (issue #16 point 4 and the browser part of point 6): the user
// switches between the interpreter and code compiled to WebAssembly with the keyboard, sees which
// tier each CPU runs on beside the instructions per second, keeps the choice across boards and
// visits (and a teaching link's ?tier= wins); a browser without WebAssembly runs the guest on the
// interpreter, and the event log says so once; on a compute-bound guest the compiled tier compiles
// code and runs faster than the interpreter, both measured in the same test.
import { expect, test, type Page } from '@playwright/test';
import { CONTENT_SECURITY_POLICY } from '../scripts/lib/http-headers';
import { openDesigner, typeSource, waitForGreeting } from './helpers';

const SHOTS = 'test-results/tiers';

function tierSelect(page: Page) {
  return page.getByRole('combobox', { name: 'Execution tier' });
}

/** The states the run panel shows for the compiling tier: compiled, or (a core that cannot compile here) unavailable with its reason. */
const JIT_STATES = /^(compiled|unavailable)$/;

/** A guest that computes forever (no UART, no WFI): every instruction per second is the tier's. */
const SPIN = ['.text', '.globl _start', '_start:', 'li t0, 0', 'li t1, 1', 'loop:', 'addi t0, t0, 1', 'xor t1, t1, t0', 'slli t2, t1, 3', 'add t1, t1, t2', 'andi t3, t0, 255', 'bnez t3, loop', 'srli t1, t1, 1', 'j loop'];

/** The speed the run panel shows, sampled `count` times a few hundred milliseconds apart: the median, in instructions per second. */
async function medianIps(page: Page, count = 7): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    await page.waitForTimeout(400);
    samples.push(Number(await page.getByTestId('ips').getAttribute('data-ips')));
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(count / 2)];
}

test('the tier is switched with the keyboard, shown per CPU beside the speed, and kept across boards, reloads and teaching links', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  const tier = tierSelect(page);
  // The default: the compiling tier, shown beside the speed figure.
  await expect(tier).toHaveValue('jit');
  await expect(page.getByTestId('tier-cpu-cpu0')).toHaveAttribute('data-state', JIT_STATES);
  const speed = page.getByTestId('ips');
  const runsOn = page.getByTestId('tier-cpus');
  const [speedBox, runsOnBox] = [await speed.boundingBox(), await runsOn.boundingBox()];
  expect(speedBox && runsOnBox && Math.abs(speedBox.y - runsOnBox.y) < 40).toBe(true);

  // The keyboard: Tab reaches the select from the real-time toggle; an arrow key picks the interpreter.
  await page.getByTestId('pacing').focus();
  await page.keyboard.press('Tab');
  await expect(tier).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(tier).toHaveValue('interp');
  await expect(page.getByTestId('tier-cpu-cpu0')).toHaveAttribute('data-state', 'interpreter');
  await expect(page.getByTestId('tier-cpu-cpu0')).toHaveText('interpreter');
  await expect(page.getByTestId('tier-note')).toHaveCount(0);

  // Another board (four harts): each CPU is listed, all on the interpreter chosen before.
  await page.getByRole('combobox', { name: 'Examples' }).selectOption({ label: 'multihart' });
  await expect(page.getByTestId('board-title')).toContainText('multihart');
  await expect(page.getByTestId('tier-cpus').locator('[data-state]')).toHaveCount(4);
  await expect(page.getByTestId('tier-cpus')).toContainText('cpu0 interpreter · cpu1 interpreter · cpu2 interpreter · cpu3 interpreter');
  for (const cpu of await page.getByTestId('tier-cpus').locator('[data-state]').all()) await expect(cpu).toHaveAttribute('data-state', 'interpreter');
  await expect(tier).toHaveValue('interp');
  await page.screenshot({ path: `${SHOTS}/interpreter-four-harts.png` });

  // A reload keeps the choice; the new page's worker runs the board on it.
  await page.reload();
  await expect(page.getByTestId('board-title')).toBeVisible();
  await expect(tier).toHaveValue('interp');
  await expect(page.getByTestId('tier-cpus').locator('[data-state]').first()).toHaveAttribute('data-state', 'interpreter');

  // A teaching link's ?tier= wins over the saved choice (without replacing it).
  await page.goto('/?tier=jit');
  await expect(tier).toHaveValue('jit');
  await expect(page.getByTestId('tier-cpus').locator('[data-state]').first()).toHaveAttribute('data-state', JIT_STATES);
  await page.goto('/');
  await expect(tier).toHaveValue('interp');
  await page.goto('/?tier=interp');
  await expect(tier).toHaveValue('interp');
  expect(errors).toEqual([]);
});

test('without WebAssembly in the emulator worker the guest runs on the interpreter, and the event log says so once', async ({ page }) => {
  // A browser without WebAssembly, simulated: the worker's first import deletes it before the engine loads.
  await page.route('**/assets/no-webassembly.js', (route) => route.fulfill({ contentType: 'text/javascript', body: 'delete globalThis.WebAssembly;\n' }));
  await page.route(/\/assets\/emulator\.worker-[\w-]+\.js$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: `import './no-webassembly.js';\n${await response.text()}` });
  });
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await expect(page.getByTestId('tier-cpus')).toHaveAttribute('data-webassembly', 'missing');
  await expect(page.getByTestId('tier-cpu-cpu0')).toHaveAttribute('data-state', 'unavailable');
  await expect(page.getByTestId('tier-note')).toContainText('WebAssembly is missing: this browser has no WebAssembly');
  await expect(page.getByTestId('tier-note')).toContainText('cpu0 runs on the interpreter');

  // Switching back and forth, and a reset, do not repeat the note.
  const tier = tierSelect(page);
  await tier.selectOption('interp');
  await expect(page.getByTestId('tier-cpu-cpu0')).toHaveAttribute('data-state', 'interpreter');
  await tier.selectOption('jit');
  await expect(page.getByTestId('tier-cpu-cpu0')).toHaveAttribute('data-state', 'unavailable');
  await page.getByTestId('reset').click();
  await waitForGreeting(page);
  await page.getByTestId('toggle-machine-panel').click();
  const events = page.getByTestId('machine-events');
  await expect(events).toContainText('runs on the interpreter');
  await page.screenshot({ path: `${SHOTS}/no-webassembly.png` });
  await expect(events.locator('li', { hasText: 'runs on the interpreter' })).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('on a compute-bound guest the compiled tier compiles its loop and runs more instructions per second than the interpreter', async ({ page }) => {
  // Under the strict policy (no 'unsafe-eval'): the compiled code below runs with 'wasm-unsafe-eval' alone.
  const documentResponse = page.waitForResponse((response) => new URL(response.url()).pathname === '/');
  const { errors } = await openDesigner(page);
  expect((await documentResponse).headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  await waitForGreeting(page);
  // The user's own program: a new source, its text replaced by a loop typed on the keyboard, assembled and run.
  await page.getByTestId('new-source').click();
  await typeSource(page, SPIN);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('run-state')).toHaveText('running');

  const tier = tierSelect(page);
  await tier.selectOption('interp');
  const cpu0 = page.getByTestId('tier-cpu-cpu0');
  await expect(cpu0).toHaveAttribute('data-state', 'interpreter');
  // Give the switch a moment to show in the speed figure (it averages over its own window).
  await page.waitForTimeout(1000);
  const interpreted = await medianIps(page);

  await tier.selectOption('jit');
  await expect(cpu0).toHaveAttribute('data-state', 'compiled');
  await expect.poll(async () => Number(await cpu0.getAttribute('data-compiled'))).toBeGreaterThan(0);
  await expect(cpu0).toContainText(/WebAssembly \(\d+ compiled\)/);
  await page.waitForTimeout(1000);
  const compiled = await medianIps(page);
  await page.screenshot({ path: `${SHOTS}/compiled-spin.png` });
  console.log(`spin loop: interpreter ${(interpreted / 1e6).toFixed(1)} M/s, compiled ${(compiled / 1e6).toFixed(1)} M/s (${(compiled / interpreted).toFixed(1)}x, measured in this run)`);
  expect(interpreted).toBeGreaterThan(0);
  expect(compiled).toBeGreaterThan(interpreted);
  expect(errors).toEqual([]);
});
