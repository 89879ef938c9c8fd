// The run/debug panel's code view: disassembly around the pc, breakpoints set from the gutter or
// with F9, the guest pausing at one (the Run/Pause button follows), and Run continuing past it.
import { expect, test, type Page } from '@playwright/test';
import { instructions, openDesigner, pausedCounterInDebugger, symbolAddress, terminalText } from './helpers';

/** The pc the registers view shows for cpu0, as 8 hex digits. */
async function registersPc(page: Page): Promise<string> {
  const text = (await page.getByTestId('registers-cpu0').getByTestId('pc').textContent()) ?? '';
  return text.replace(/^pc 0x/, '').padStart(8, '0');
}

test('disassembly follows the pc; a breakpoint pauses the guest there and Run continues past it', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await pausedCounterInDebugger(page);

  // The listing shows the pc's line highlighted, the same pc the registers show.
  const view = page.getByTestId('disassembly');
  const pcLine = view.locator('[data-testid="disasm-line"][data-pc="true"]');
  await expect(pcLine).toHaveCount(1);
  await expect.poll(async () => pcLine.getAttribute('data-address')).toBe(await registersPc(page));
  expect(await view.getByTestId('disasm-line').count()).toBeGreaterThanOrEqual(12);

  // Look at uart_put_udec (address from the ELF's symbols) and set a breakpoint from its gutter.
  const target = symbolAddress('counter.elf', 'uart_put_udec');
  await page.getByTestId('disasm-address').fill(`0x${target}`);
  await page.getByTestId('disasm-address').press('Enter');
  const targetLine = view.locator(`[data-testid="disasm-line"][data-address="${target}"]`);
  await expect(targetLine).toBeVisible();
  await expect(view).toContainText(`${target} <uart_put_udec>:`);
  await targetLine.getByTestId('disasm-gutter').click();
  await expect(targetLine).toHaveAttribute('data-breakpoint', 'true');
  await expect(page.getByTestId('breakpoint-list').getByTestId('breakpoint')).toHaveAttribute('data-address', target);

  // Run: the guest stops at the breakpoint by itself; the Run button is enabled again.
  const ticks = (await terminalText(page)).split('tick').length;
  await page.getByTestId('run').click();
  await expect(page.getByTestId('breakpoint-stop')).toHaveText(`paused: breakpoint at 0x${target} on cpu0`);
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  await expect(page.getByTestId('run')).toBeEnabled();
  await expect.poll(() => registersPc(page)).toBe(target);
  await expect(view.locator('[data-testid="disasm-line"][data-pc="true"]')).toHaveAttribute('data-address', target);
  const firstStop = await instructions(page);
  // uart_put_udec prints the number after "tick ": each stop comes right after one more "tick ".
  await expect.poll(async () => (await terminalText(page)).split('tick').length).toBe(ticks + 1);

  // Run again: it continues past the breakpoint, prints the next tick, and stops there once more.
  await page.getByTestId('run').click();
  await expect.poll(() => instructions(page)).toBeGreaterThan(firstStop + 100_000);
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  await expect(page.getByTestId('breakpoint-stop')).toContainText(`breakpoint at 0x${target}`);
  expect(await registersPc(page)).toBe(target);
  await expect.poll(async () => (await terminalText(page)).split('tick').length).toBe(ticks + 2);

  // Step from the breakpoint runs its instruction; the stop notice goes away.
  const atStop = await instructions(page);
  await page.getByTestId('step').click();
  await expect.poll(() => instructions(page)).toBe(atStop + 1);
  await expect(page.getByTestId('breakpoint-stop')).toHaveCount(0);
  expect(await registersPc(page)).not.toBe(target);

  // Remove it from the list: Run keeps running.
  await page.getByTestId('breakpoint-remove').click();
  await expect(page.getByTestId('breakpoint-list').getByTestId('breakpoint')).toHaveCount(0);
  await page.getByTestId('run').click();
  await expect.poll(async () => (await terminalText(page)).split('tick').length).toBeGreaterThan(ticks + 3);
  await expect(page.getByTestId('run-state')).toHaveText('running');
  expect(errors).toEqual([]);
});

test('F9 toggles a breakpoint on the selected line; follow pc returns to the pc', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await pausedCounterInDebugger(page);
  const view = page.getByTestId('disassembly');

  const main = symbolAddress('counter.elf', 'main');
  await page.getByTestId('disasm-address').fill(main);
  await page.getByTestId('disasm-address').press('Enter');
  const mainLine = view.locator(`[data-testid="disasm-line"][data-address="${main}"]`);
  await mainLine.click();
  await page.getByTestId('disasm-lines').press('F9');
  await expect(mainLine).toHaveAttribute('data-breakpoint', 'true');
  await page.getByTestId('disasm-lines').press('F9');
  await expect(mainLine).not.toHaveAttribute('data-breakpoint', 'true');
  await expect(page.getByTestId('breakpoint-list').getByTestId('breakpoint')).toHaveCount(0);

  await page.getByTestId('disasm-follow').click();
  await expect.poll(async () => view.locator('[data-testid="disasm-line"][data-pc="true"]').getAttribute('data-address')).toBe(await registersPc(page));
  expect(errors).toEqual([]);
});

test('run to a line, then step over the call there: the callee runs and the guest pauses after it', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await pausedCounterInDebugger(page);
  const view = page.getByTestId('disassembly');

  // main's call of uart_put_udec, which prints the tick's number after "tick " (a few lines into main).
  const intoMain = (Number.parseInt(symbolAddress('counter.elf', 'main'), 16) + 0x20).toString(16);
  await page.getByTestId('disasm-address').fill(`0x${intoMain}`);
  await page.getByTestId('disasm-address').press('Enter');
  const call = view.getByTestId('disasm-line').filter({ hasText: /jal\s*[0-9a-f]+ <uart_put_udec>/ });
  await expect(call).toHaveCount(1);
  const callAt = (await call.getAttribute('data-address'))!;
  await call.click();
  await page.getByTestId('disasm-run-to').click();
  await expect(page.getByTestId('breakpoint-stop')).toHaveText(`paused: ran to 0x${callAt} on cpu0`);
  await expect.poll(() => registersPc(page)).toBe(callAt);
  await expect.poll(() => terminalText(page)).toMatch(/tick $/);

  // Step over: uart_put_udec runs whole (the number appears); the guest pauses at the next instruction.
  await page.getByTestId('disasm-step-over').click();
  const next = (Number.parseInt(callAt, 16) + 4).toString(16).padStart(8, '0');
  await expect(page.getByTestId('breakpoint-stop')).toHaveText(`paused: stepped over the call, at 0x${next} on cpu0`);
  await expect.poll(() => registersPc(page)).toBe(next);
  await expect.poll(() => terminalText(page)).toMatch(/tick \d+$/);
  // F10 on an instruction that is no call is one step.
  const before = await instructions(page);
  await page.getByTestId('disasm-lines').press('F10');
  await expect.poll(() => instructions(page)).toBe(before + 1);
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  expect(errors).toEqual([]);
});
