// Source-level debugging in the page: the echo example (C firmware built with gcc -g) in the
// debugger's Source view — a breakpoint set on a C line from the gutter, the guest stopping there
// when a typed character reaches the interrupt handler, the line highlighted, and Step line (the
// button, then F11 in the source) moving the highlight from line to line while registers change.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openDesigner, terminalText, typeSource, waitForGreeting } from './helpers';

const ECHO_SOURCE = readFileSync(new URL('../firmware/echo/echo.c', import.meta.url), 'utf8').split('\n');
/** The 1-based number of the first line of echo.c containing `text`. */
const lineOf = (text: string) => ECHO_SOURCE.findIndex((l) => l.includes(text)) + 1;

async function openExample(page: Page, name: string): Promise<void> {
  const examples = page.locator('.examples select');
  await examples.selectOption(`${name}.board.json`);
  await expect(page.getByTestId('board-title')).toContainText(name);
}

test('a breakpoint on a C line of the echo example stops there, highlighted; Step line moves line by line', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await openExample(page, 'echo');
  await expect.poll(() => terminalText(page)).toContain("echo: type something, 'q' quits");
  await page.getByTestId('toggle-debug').click();
  await page.getByTestId('code-view-source').click();

  // The guest waits for input; the Source view shows where its pc is, from the firmware's line table.
  const source = page.getByTestId('source-view');
  await expect(source.getByTestId('source-line').first()).toBeVisible();
  // Show echo.c (the pc may be in the inlined wait of csr.h) and set a breakpoint on `received++;` from the gutter.
  await source.getByTestId('source-file').selectOption('echo/echo.c');
  const counted = lineOf('received++;');
  const countedLine = source.locator(`[data-testid="source-line"][data-line="${counted}"]`);
  await expect(countedLine).toContainText('received++;');
  await countedLine.getByTestId('source-gutter').click();
  await expect(countedLine).toHaveAttribute('data-breakpoint', 'true');
  // The disassembly lists it too (a breakpoint is an address); back to the source.
  await page.getByTestId('code-view-disassembly').click();
  await expect(page.getByTestId('breakpoint-list').getByTestId('breakpoint')).toHaveCount(1);
  await expect(page.getByTestId('source-view')).toBeHidden();
  await page.getByTestId('code-view-source').click();

  // A typed character interrupts the wait: the handler reaches the line and the guest pauses there.
  await page.getByTestId('terminal').click();
  await page.keyboard.type('x');
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  await expect(source.getByTestId('source-stop')).toContainText('breakpoint at 0x');
  await expect(source.locator('[data-testid="source-line"][data-current="true"]')).toHaveAttribute('data-line', String(counted));
  await page.screenshot({ path: 'test-results/source-debug-breakpoint.png' });

  // Step line: the next line of the handler is highlighted, and the registers the step changed are marked.
  const registers = page.getByTestId('registers-cpu0');
  const step = async (how: 'button' | 'F11') => {
    const before = Number(await source.locator('[data-testid="source-line"][data-current="true"]').getAttribute('data-line'));
    if (how === 'button') await source.getByTestId('source-step-line').click();
    else await source.getByTestId('source-lines').press('F11');
    await expect(source.getByTestId('source-stop')).toContainText('stepped to a new line');
    await expect(source.locator('[data-testid="source-line"][data-current="true"]')).not.toHaveAttribute('data-line', String(before));
    await expect(registers.locator('[data-changed="true"]').first()).toBeVisible();
    return Number(await source.locator('[data-testid="source-line"][data-current="true"]').getAttribute('data-line'));
  };
  const first = await step('button');
  expect(first).toBe(lineOf("if (c == 'q')"));
  // F11 steps into the call the handler makes next (gcc -O2 moved it up): uart_putc, in the UART library's source.
  const second = await step('F11');
  await expect(source.getByTestId('source-file')).toHaveValue('common/uart.c');
  const uart = readFileSync(new URL('../firmware/common/uart.c', import.meta.url), 'utf8').split('\n');
  const putc = uart.findIndex((l) => l.startsWith('void uart_putc')) + 1;
  const puts = uart.findIndex((l) => l.startsWith('void uart_puts')) + 1;
  expect(second).toBeGreaterThan(putc);
  expect(second).toBeLessThan(puts);
  await expect(source.locator('[data-testid="source-line"][data-current="true"]')).toContainText(uart[second - 1].trim());
  await registers.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/source-debug-stepped.png' });

  // Back to echo.c: clear the breakpoint from the gutter and run on: the echo goes out.
  await source.getByTestId('source-file').selectOption('echo/echo.c');
  await countedLine.getByTestId('source-gutter').click();
  await expect(countedLine).not.toHaveAttribute('data-breakpoint', 'true');
  await page.getByTestId('run').click();
  await expect.poll(() => terminalText(page)).toMatch(/quits\n+x/);
  expect(errors).toEqual([]);
});

/** A program typed into the source editor, as e2e/source-editor.spec.ts types it (no leading spaces: Monaco indents). */
const PROGRAM = ['.equ UART, 0x10000000', '.text', '.globl _start', '_start:', 'la a0, message', 'li a1, UART', 'print:', 'lbu t0, 0(a0)', 'beqz t0, done', 'sb t0, 0(a1)', 'addi a0, a0, 1', 'j print', 'done:', 'wfi', 'j done', 'message:', '.asciz "Stepped"'];

test('assembly written in the browser: a breakpoint from the source editor’s margin, the current line marked there and in the Source view, Step line', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await page.getByTestId('new-source').click();
  await expect.poll(() => terminalText(page)).toContain('Hello from main.s!');
  const editor = page.getByTestId('source-editor');
  await typeSource(page, PROGRAM);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect.poll(() => terminalText(page)).toContain('Stepped');

  // A click in the glyph margin beside line 10 (sb t0, 0(a1)) sets a breakpoint there.
  const lineNumber = editor.locator('.line-numbers', { hasText: /^10$/ });
  const box = (await lineNumber.boundingBox())!;
  const margin = (await editor.locator('.glyph-margin').boundingBox())!;
  await page.mouse.click(margin.x + margin.width / 2, box.y + box.height / 2);
  await expect(editor.locator('.source-breakpoint')).toHaveCount(1);

  // Reset: the program runs again and stops at the store; the editor marks the line it is at.
  await page.getByTestId('reset').click();
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  const current = editor.locator('.source-current-line');
  await expect(current).toHaveCount(1);
  const lineTop = async (n: number) => (await editor.locator('.line-numbers', { hasText: new RegExp(`^${n}$`) }).boundingBox())!.y;
  expect(Math.abs((await current.boundingBox())!.y - (await lineTop(10)))).toBeLessThan(4);

  // The debugger's Source view shows the board's own source at that line; Step line moves both on.
  await page.getByTestId('toggle-debug').click();
  await page.getByTestId('code-view-source').click();
  const source = page.getByTestId('source-view');
  await expect(source.locator('[data-testid="source-line"][data-current="true"]')).toHaveAttribute('data-line', '10');
  await expect(source.locator('[data-testid="source-line"][data-current="true"]')).toContainText('sb t0, 0(a1)');
  await source.getByTestId('source-step-line').click();
  await expect(source.locator('[data-testid="source-line"][data-current="true"]')).toHaveAttribute('data-line', '11');
  await expect.poll(async () => Math.abs((await current.boundingBox())!.y - (await lineTop(11)))).toBeLessThan(4);
  await page.screenshot({ path: 'test-results/source-debug-assembly.png' });
  expect(errors).toEqual([]);
});
