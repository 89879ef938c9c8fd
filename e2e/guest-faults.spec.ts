// A guest that goes wrong says so: a CPU without firmware, a store or load where nothing is
// mapped, a hart caught in a trap loop — in the run-state badge, on the nodes, in the Problems
// list and in the engine's event log; and pausing or halting shows on every badge.
import { expect, test } from '@playwright/test';
import { dragBetween, dropFromPalette, firmwareFile, openBoardFile, openDesigner, openFirmware, terminalText, waitForGreeting } from './helpers';

/** The hello board with its UART moved to 0x10001000: hello.elf still looks for it at 0x10000000. */
function movedUartBoard(): string {
  return JSON.stringify(
    {
      boardlab: 1,
      name: 'moved-uart',
      description: 'hello.elf on a board whose UART is not where the firmware expects it.',
      objects: {
        cpu0: { type: 'rv32', props: { 'reset-vector': '0x80000000' } },
        ram: { type: 'ram', props: { size: '128M' } },
        uart0: { type: 'ns16550a' },
        test: { type: 'sifive-test' },
      },
      memory: [
        { map: 'test.regs', at: '0x100000' },
        { map: 'uart0.regs', at: '0x10001000' },
        { map: 'ram.mem', at: '0x80000000' },
      ],
      resets: [{ from: 'test.system-reset', to: 'board' }],
      images: [{ cpu: 'cpu0', file: 'firmware/hello.elf' }],
    },
    null,
    2,
  );
}

test('an empty board with a CPU and RAM but no firmware says "cpu0 has no firmware" and runs nothing', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await page.getByTestId('new-board').selectOption('empty');
  await expect(page.getByTestId('board-title')).toContainText('untitled');
  await page.getByTestId('tab-composition').click();
  await dropFromPalette(page, 'rv32', 'composition', 300, 80);
  await expect(page.getByTestId('composition-node-cpu0')).toBeVisible();
  await dropFromPalette(page, 'ram', 'composition', 300, 220);
  await expect(page.getByTestId('composition-node-ram')).toBeVisible();
  await page.getByTestId('tab-memory').click();
  const memory = page.getByTestId('view-memory');
  await dragBetween(page, memory.getByTestId('handle-system bus-out:map'), memory.getByTestId('handle-ram.mem-in:map'));
  await expect(page.getByTestId('prompt-address')).toHaveValue('0x80000000'); // the address the prompt proposes
  await page.keyboard.press('Enter');
  await expect(memory.getByTestId('memory-node-ram.mem')).toContainText('0x80000000');

  // The board runs — but its CPU has nothing to run: said in the badge, not "running · 0 instructions".
  await expect(page.getByTestId('run-state')).toHaveText('cpu0 has no firmware');
  await expect(page.getByTestId('run')).toBeDisabled();
  await expect(page.getByTestId('instructions')).toHaveText('0');
  const problem = page.getByTestId('guest-problem');
  await expect(problem).toHaveCount(1);
  await expect(problem.getByTestId('guest-problem-cpu')).toHaveText('cpu0');
  await expect(problem.getByTestId('guest-problem-message')).toHaveText('cpu0 has no firmware');
  await expect(problem.getByTestId('guest-problem-hint')).toContainText('Open firmware…');
  // The document itself has no problem.
  await expect(page.getByTestId('problem-count')).toHaveText('0');
  // Clicking the entry shows the CPU in the inspector, where a firmware is picked.
  await problem.click();
  await expect(page.getByTestId('inspector-type')).toContainText('rv32');

  // Opening a firmware gives it one: it runs — and, on this board without a UART, says where its
  // first UART access went.
  await openFirmware(page, 'hello.elf', firmwareFile('hello.elf'));
  await expect(page.getByTestId('run-state')).toHaveText('paused: cpu0 is faulting');
  await expect(page.getByTestId('guest-problem').filter({ hasText: 'has no firmware' })).toHaveCount(0);
  await expect(page.locator('[data-testid="guest-problem"][data-kind="unmapped-access"]').filter({ hasText: 'load access fault at 0x10000005' }).getByTestId('guest-problem-hint')).toContainText(
    'Nothing is mapped at 0x10000005; ram is at 0x80000000–0x87ffffff',
  );
  expect(errors).toEqual([]);
});

test('hello.elf on a board whose UART is at 0x10001000: the CPU, pc, cause, address and the UART’s place are listed; the trap loop pauses the guest', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await openBoardFile(page, 'moved-uart.board.json', movedUartBoard());
  await expect(page.getByTestId('board-title')).toContainText('moved-uart');

  // The first UART access faults (mtvec is 0, where nothing is mapped): a trap loop, caught and paused.
  await expect(page.getByTestId('run-state')).toHaveText('paused: cpu0 is faulting');
  await expect(page.getByTestId('run-state')).toHaveAttribute('title', /cpu0 is in a trap loop/);
  await expect(page.getByTestId('notice')).toContainText('Paused: cpu0 is in a trap loop');
  await expect(page.getByTestId('run')).toBeEnabled();

  const access = page.locator('[data-testid="guest-problem"][data-kind="unmapped-access"]').filter({ hasText: 'load access fault at 0x10000005' });
  await expect(access).toHaveCount(1);
  await expect(access.getByTestId('guest-problem-cpu')).toHaveText('cpu0');
  await expect(access.getByTestId('guest-problem-message')).toHaveText(/^cpu0: load access fault at 0x10000005, pc 0x800000[0-9a-f]{2}$/);
  await expect(access.getByTestId('guest-problem-hint')).toContainText('Nothing is mapped at 0x10000005; uart0 is at 0x10001000');
  const loop = page.locator('[data-testid="guest-problem"][data-kind="trap-loop"]');
  await expect(loop.getByTestId('guest-problem-message')).toContainText('its trap handler at 0x00000000 (mtvec) faults before any instruction runs');
  await expect(loop.getByTestId('guest-problem-message')).toContainText('it began with a load access fault at 0x10000005');
  await expect(loop.getByTestId('guest-problem-hint')).toContainText('point mtvec at a trap handler');
  await expect(page.getByTestId('problem-count')).toHaveText('0'); // the board document is fine

  // The node and the life-cycle panel agree: cpu0 is faulting, the rest is paused; the event log has the details.
  await expect(page.getByTestId('state-cpu0')).toHaveText('faulting');
  await expect(page.getByTestId('state-uart0')).toHaveText('paused');
  await page.getByTestId('toggle-machine-panel').click();
  const panel = page.getByTestId('machine-panel');
  await expect(panel.locator('[data-path="/machine/cpu0"] .state-pill')).toHaveText('faulting');
  await expect(panel.locator('[data-path="/machine/ram"] .state-pill')).toHaveText('paused');
  const events = panel.getByTestId('machine-events');
  await expect(events).toContainText(/cpu0: load access fault at 0x10000005, pc 0x800000[0-9a-f]{2} — nothing is mapped at 0x10000005; uart0 is at 0x10001000/);
  await expect(events).toContainText('cpu0 is in a trap loop');

  // Run lets the guest go on, like a debugger continuing from a fault: the loop is caught again, and
  // the page stays responsive (the example list still opens another board).
  const caught = (await events.locator('li', { hasText: 'trap loop' }).count());
  await page.getByTestId('run').click();
  await expect(events.locator('li', { hasText: 'trap loop' })).toHaveCount(caught + 1);
  await expect(page.getByTestId('run-state')).toHaveText('paused: cpu0 is faulting');
  await page.locator('.examples select').selectOption('hello.board.json');
  await waitForGreeting(page);
  await expect(page.getByTestId('guest-problem')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('pausing and halting show on the run-state badge, the nodes and the life-cycle panel alike', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  // Halted: every object says so (the life cycle is still "running" underneath).
  await expect(page.getByTestId('state-cpu0')).toHaveText('halted');
  await expect(page.getByTestId('state-uart0')).toHaveText('halted');
  await expect(page.getByTestId('state-cpu0')).toHaveAttribute('data-state', 'running');
  await page.getByTestId('toggle-machine-panel').click();
  const pills = page.getByTestId('machine-panel').locator('.state-pill');
  await expect(pills).toHaveCount(4);
  for (const pill of await pills.all()) await expect(pill).toHaveText('halted');

  // A firmware that counts forever: running, then paused, then running again.
  await openFirmware(page, 'counter.elf', firmwareFile('counter.elf'));
  await expect.poll(() => terminalText(page)).toContain('tick 1');
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await expect(page.getByTestId('state-cpu0')).toHaveText('running');
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  await expect(page.getByTestId('state-cpu0')).toHaveText('paused');
  for (const pill of await pills.all()) await expect(pill).toHaveText('paused');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('state-cpu0')).toHaveText('running');
  await expect(page.getByTestId('state-ram')).toHaveText('running');

  // A guest asleep in WFI (echo, waiting for a key): the CPU waits for an interrupt.
  await page.locator('.examples select').selectOption('echo.board.json');
  await expect(page.getByTestId('run-state')).toHaveText('running (idle)');
  await expect(page.getByTestId('state-cpu0')).toHaveText('waiting for interrupt');
  expect(errors).toEqual([]);
});
