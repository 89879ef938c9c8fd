// A machine that explains itself (issue #15, point 4): clicking a device or a CPU shows its
// registers live and decoded; the trap log fills with named causes; a watch follows a variable.
import { expect, test, type Page } from '@playwright/test';
import { li, lw, Program, Reg, sw } from '../src/engine/cpu/riscv/asm.ts';
import { echoBoard } from '../src/workers/test-programs.ts';
import { openBoardFile, openDesigner, terminalText } from './helpers.ts';

async function openExample(page: Page, name: string): Promise<void> {
  await page.locator('.examples select').selectOption(`${name}.board.json`);
  await expect(page.getByTestId('board-title')).toContainText(name);
}

/** The register row `name` of the inspector's live view. */
const register = (page: Page, name: string) => page.getByTestId('live-registers').locator(`[data-testid="live-register"][data-name="${name}"]`);

test('clicking the UART, the PLIC and a hart shows their registers live and decoded; traps are logged by name; a watch follows a variable', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await openExample(page, 'echo');
  await expect.poll(() => terminalText(page)).toContain("'q' quits");
  await page.getByTestId('tab-composition').click();
  const composition = page.getByTestId('view-composition');

  // The UART: the firmware enabled the receive interrupt; the transmitter is empty; nothing waits.
  await composition.getByTestId('composition-node-uart0').click({ position: { x: 24, y: 12 } });
  await expect(page.getByTestId('live-registers')).toHaveAttribute('data-path', '/machine/uart0');
  await expect(register(page, 'IER').getByTestId('live-field').filter({ hasText: 'ERBFI' })).toHaveText('ERBFI = 1');
  await expect(register(page, 'LSR').getByTestId('live-field').filter({ hasText: 'THRE' })).toHaveText('THRE = 1');
  await expect(register(page, 'LSR').getByTestId('live-field').filter({ hasText: /^DR/ })).toHaveText('DR = 0');
  await expect(register(page, 'LSR').locator('.live-reg__head')).toHaveAttribute('title', /Line status/);

  // The PLIC: hart 0's M-mode context enables source 10 (the UART); its priority is folded with the others.
  await composition.getByTestId('composition-node-plic').click({ position: { x: 24, y: 12 } });
  await expect(page.getByTestId('live-registers')).toHaveAttribute('data-path', '/machine/plic');
  await expect(register(page, 'enable[0][0]').getByTestId('live-field')).toHaveText('enabled: source 10');
  await expect(register(page, 'threshold[0]').getByTestId('live-register-value')).toHaveText('0x00000000');
  await page.getByText(/priority\[…\] · 96 registers/).click();
  await expect(register(page, 'priority[10]').getByTestId('live-register-value')).toHaveText('0x00000001');

  // The hart: M-mode, interrupts enabled; no trap yet.
  await composition.getByTestId('composition-node-cpu0').click({ position: { x: 24, y: 12 } });
  await expect(page.getByTestId('live-registers')).toHaveAttribute('data-path', '/machine/cpu0');
  await expect(register(page, 'priv').getByTestId('live-field')).toHaveText('mode = 3 (M)');
  await expect(register(page, 'mie').getByTestId('live-field').filter({ hasText: 'MEIE' })).toHaveText('MEIE = 1');
  const mcause = register(page, 'mcause').getByTestId('live-register-value');
  await expect(mcause).toHaveText('0x00000000');

  // The trap log and a watch on the firmware's count of received bytes.
  await page.getByTestId('toggle-explain').click();
  await expect(page.getByTestId('trap-log')).toContainText('no traps yet');
  await page.getByTestId('watch-input').fill('received');
  await page.getByTestId('watch-add').click();
  const watch = page.getByTestId('watch-row').first();
  await expect(watch).toContainText(/received \(0x8[0-9a-f]+\)/);
  await expect(watch.getByTestId('watch-value')).toHaveText('0x00000000 (0)');
  await page.getByTestId('watch-input').fill('cpu0.mepc');
  await page.getByTestId('watch-input').press('Enter');
  await expect(page.getByTestId('watch-row')).toHaveCount(2);
  await page.getByTestId('watch-input').fill('nonsense_name');
  await page.getByTestId('watch-add').click();
  await expect(page.getByTestId('watch-error')).toHaveText('no register or firmware symbol is named "nonsense_name"');

  // Typing raises the UART's interrupt through the PLIC: the hart takes a machine external interrupt.
  await page.getByTestId('terminal').click();
  await page.keyboard.type('ab');
  await expect.poll(() => terminalText(page)).toContain('ab');
  await expect(page.getByTestId('trap-row').first().getByTestId('trap-cause')).toHaveText('machine external interrupt (cause 0x8000000b)');
  await expect(page.getByTestId('trap-row').first()).toContainText('<trap_entry>');
  await expect(mcause).toHaveText('0x8000000b');
  await expect(register(page, 'mcause').getByTestId('live-field').first()).toHaveText('code = 0xb (machine external interrupt)');
  await expect(watch.getByTestId('watch-value')).toHaveText('0x00000002 (2)');

  // Filtering by CPU keeps cpu0's traps; the log clears.
  const traps = await page.getByTestId('trap-row').count();
  expect(traps).toBeGreaterThanOrEqual(1);
  await page.getByTestId('trap-filter').selectOption('/machine/cpu0');
  await expect(page.getByTestId('trap-row')).toHaveCount(traps);
  await page.getByTestId('trap-clear').click();
  await expect(page.getByTestId('trap-row')).toHaveCount(0);
  await page.keyboard.type('c'); // focus went to the button: the terminal does not get this
  await page.getByTestId('terminal').click();
  await page.keyboard.type('d');
  await expect(page.getByTestId('trap-row')).not.toHaveCount(0);
  await expect(watch.getByTestId('watch-value')).toHaveText('0x00000003 (3)');
  await page.screenshot({ path: 'test-results/explain.png' });
  expect(errors).toEqual([]);
});

test('a Cortex-M0+ explains itself too: the timer and GPIO decoded, xPSR and the SCB, the trap log names IRQ 8 and the button’s IRQ 6', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await openExample(page, 'm0-blinky');
  await expect.poll(() => terminalText(page)).toContain('button 0 lights LED1');
  await page.getByTestId('tab-composition').click();
  const composition = page.getByTestId('view-composition');

  // Six timer interrupts toggled LED0, then the firmware stopped the timer.
  await page.getByTestId('toggle-explain').click();
  await expect(page.getByTestId('trap-row')).toHaveCount(6);
  await expect(page.getByTestId('trap-row').first().getByTestId('trap-cause')).toHaveText('interrupt (IRQ 8) (cause 0x00000018)');
  await composition.getByTestId('composition-node-timer0').click({ position: { x: 24, y: 12 } });
  await expect(page.getByTestId('live-registers')).toHaveAttribute('data-path', '/machine/timer0');
  await expect(register(page, 'CTRL').getByTestId('live-register-value')).toHaveText('0x00000000');
  await expect(register(page, 'RELOAD').getByTestId('live-register-value')).toHaveText('0x0026259f'); // 2.5 M − 1: 100 ms of 25 MHz

  // The core, asleep in thread mode on the main stack.
  await composition.getByTestId('composition-node-cpu0').click({ position: { x: 24, y: 12 } });
  await expect(page.getByTestId('live-registers')).toHaveAttribute('data-path', '/machine/cpu0');
  await expect(register(page, 'xPSR').getByTestId('live-field').filter({ hasText: /^T = / })).toHaveText('T = 1');
  await expect(register(page, 'xPSR').getByTestId('live-field').filter({ hasText: /^ISR/ })).toHaveText('ISR = 0 (thread mode)');
  await expect(register(page, 'CONTROL').getByTestId('live-field').filter({ hasText: 'SPSEL' })).toHaveText('SPSEL = MSP');
  await expect(register(page, 'VTOR').getByTestId('live-register-value')).toHaveText('0x00000000');

  // Holding button 0: the GPIO input line 4 goes high, its interrupt (IRQ 6) is logged, LED1's output bit is set.
  await composition.getByTestId('composition-node-gpio').click({ position: { x: 24, y: 12 } });
  await expect(register(page, 'input').getByTestId('live-field')).toHaveText('high: none');
  const button0 = page.getByTestId('devices').getByTestId('button-button0');
  await button0.hover();
  await page.mouse.down();
  await expect(register(page, 'input').getByTestId('live-field')).toHaveText('high: line 4');
  await expect(register(page, 'output').getByTestId('live-field')).toHaveText('set: line 1');
  await expect(page.getByTestId('trap-row').nth(6).getByTestId('trap-cause')).toHaveText('interrupt (IRQ 6) (cause 0x00000016)');
  await page.mouse.up();
  await expect(register(page, 'output').getByTestId('live-field')).toHaveText('set: none');
  expect(errors).toEqual([]);
});

test('the event log warns once about a misaligned load in a loop, naming the CPU, pc and address', async ({ page }) => {
  const { errors } = await openDesigner(page);
  // Stores a word, then loads it from one byte further on, for ever.
  const { t0, t1, zero } = Reg;
  const p = new Program(0x8000_0000);
  p.i(li(t0, 0x8000_0800), li(t1, 0x1234_5678), sw(t1, t0, 0));
  p.label('loop').label('load').i(lw(t1, t0, 1)).jal(zero, 'loop');
  const file = 'firmware/e2e-misaligned.bin';
  await page.route(`**/${file}`, (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from(p.bytes()) }));
  await openBoardFile(page, 'misaligned.board.json', JSON.stringify({ ...echoBoard(file), name: 'misaligned' }));
  await expect(page.getByTestId('board-title')).toContainText('misaligned');
  await page.getByTestId('toggle-machine-panel').click();
  const line = `cpu0: misaligned load of 4 bytes at 0x80000801, pc 0x${p.address('load').toString(16)} — this hart performs it`;
  await expect(page.getByTestId('machine-events')).toContainText(line);
  await page.waitForTimeout(500); // the loop runs on: still one line
  await expect(page.getByTestId('machine-events').locator('li', { hasText: 'misaligned' })).toHaveCount(1);
  expect(errors).toEqual([]);
});
