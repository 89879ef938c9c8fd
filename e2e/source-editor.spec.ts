// Code written in the browser: a student adds a source to the default board, types a program,
// assembles and runs it with Ctrl+Enter and sees the UART print; a mistake is marked at its line and
// column while the previous run goes on; the source travels in the share link.
import { expect, test, type Page } from '@playwright/test';
import { freshPage, openDesigner, session, terminalText, typeSource, waitForGreeting } from './helpers';

const SHOTS = 'test-results/source-editor';

/**
 * The program, line by line, typed as a person types it: Monaco keeps the previous line's
 * indentation after Enter, so lines are typed without their own leading spaces (labels end up
 * indented too, which GNU as syntax allows).
 */
const PROGRAM = [
  '.equ UART, 0x10000000',
  '.text',
  '.globl _start',
  '_start:',
  'la a0, message',
  'li a1, UART',
  'print:',
  'lbu t0, 0(a0)',
  'beqz t0, done',
  'sb t0, 0(a1)',
  'addi a0, a0, 1',
  'j print',
  'done:',
  'wfi',
  'j done',
  'message:',
  '.asciz "Typed in the browser"',
];

/** The source's text in the board document the designer edits. */
async function documentSource(page: Page, name: string): Promise<string | undefined> {
  return page.evaluate((source) => {
    const text = window.__boardlab?.documentText();
    return text ? (JSON.parse(text).sources?.[source]?.text as string | undefined) : undefined;
  }, name);
}

test('New source, type a program, Ctrl+Enter: the UART prints it; an error is marked and the run goes on; the share link keeps the source', async ({ page, browser }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);

  // New source: main.s with a starting program that greets on this board's UART, run at once.
  await page.getByTestId('new-source').click();
  await expect(page.getByTestId('source-tab-main.s')).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => terminalText(page)).toContain('Hello from main.s!');
  await expect(page.getByTestId('firmware-chip')).toContainText('main.s');
  await expect(page.getByTestId('assemble-and-run')).toHaveAttribute('title', /Ctrl\+Enter/);
  await page.screenshot({ path: `${SHOTS}/1-new-source.png` });

  // The student's own program, typed; Ctrl+Enter assembles and restarts the board on it.
  await typeSource(page, PROGRAM);
  const before = await session(page);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect.poll(() => terminalText(page)).toContain('Typed in the browser');
  expect(await session(page)).toBeGreaterThan(before);
  await expect(page.getByTestId('run-state')).toHaveText(/waiting|running/);
  // the typed text is the board's: in the document (an edit like any other)
  expect(await documentSource(page, 'main.s')).toBe(PROGRAM.join('\n'));
  await page.screenshot({ path: `${SHOTS}/2-typed-and-run.png` });

  // A mistake on line 6 ("li a1, UART" becomes "lj a1, UART"): marked there, the guest keeps running.
  const running = await session(page);
  const printed = await terminalText(page);
  const broken = PROGRAM.map((line, i) => (i === 5 ? 'lj a1, UART' : line));
  await typeSource(page, broken);
  await page.keyboard.press('ControlOrMeta+Enter');
  expect(await documentSource(page, 'main.s')).toBe(broken.join('\n'));
  const problem = page.getByTestId('problem-message').first();
  await expect(problem).toContainText("main.s:6:");
  await expect(problem).toContainText("unknown instruction 'lj'");
  await expect(page.getByTestId('notice')).toContainText('main.s: 1 error');
  const squiggle = page.locator('[data-testid="source-editor"] .squiggly-error');
  await expect(squiggle).toHaveCount(1);
  const lineSix = page.locator('[data-testid="source-editor"] .line-numbers', { hasText: /^6$/ });
  const [squiggleBox, lineBox] = [await squiggle.boundingBox(), await lineSix.boundingBox()];
  expect(Math.abs(squiggleBox!.y - lineBox!.y)).toBeLessThan(lineBox!.height);
  // the marker says what and how to fix it when hovered
  await page.locator('[data-testid="source-editor"] .view-lines span span', { hasText: /^lj$/ }).hover();
  await expect(page.locator('.monaco-hover:not(.hidden)')).toContainText("unknown instruction 'lj'");
  expect(await session(page)).toBe(running);
  expect(await terminalText(page)).toBe(printed);
  await page.screenshot({ path: `${SHOTS}/3-error-marked.png` });

  // Fixed again, run, then shared: a fresh browser opens the link with the source.
  await typeSource(page, PROGRAM);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('problem-message')).toHaveCount(0);
  await expect.poll(() => session(page)).toBeGreaterThan(running);
  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-link').inputValue();
  const fresh = await freshPage(browser);
  await fresh.page.goto(link);
  await expect.poll(() => terminalText(fresh.page)).toContain('Typed in the browser');
  await fresh.page.getByTestId('source-tab-main.s').click();
  await expect(fresh.page.getByTestId('source-editor')).toContainText('Typed in the browser');
  expect(await documentSource(fresh.page, 'main.s')).toBe(await documentSource(page, 'main.s'));
  await fresh.page.screenshot({ path: `${SHOTS}/4-opened-from-link.png` });
  expect(fresh.errors).toEqual([]);
  await fresh.close();
  expect(errors).toEqual([]);
});

test('source edits are document edits: Undo and Redo take them back and forth, the autosave keeps them, a problem clicked shows its line', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await page.getByTestId('new-source').click();
  await expect.poll(() => terminalText(page)).toContain('Hello from main.s!');
  const template = await documentSource(page, 'main.s');
  expect(template).toContain('Hello from main.s!');

  // A line typed at the end becomes part of the document once typing settles.
  await page.getByTestId('source-editor').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('# my note');
  await expect.poll(() => documentSource(page, 'main.s')).toBe(`${template}# my note`);
  const running = await session(page);
  // Typing does not restart the guest; Undo (the toolbar's) takes the edit back, in the editor too.
  await page.getByTestId('undo').click();
  await expect.poll(() => documentSource(page, 'main.s')).toBe(template);
  await expect(page.getByTestId('source-editor')).not.toContainText('my note');
  await page.getByTestId('redo').click();
  await expect(page.getByTestId('source-editor')).toContainText('# my note');
  expect(await session(page)).toBe(running);

  // The autosave carries the source: a reload recovers it.
  await page.waitForTimeout(500); // the autosave is written 250 ms after an edit
  await page.reload();
  await expect(page.getByTestId('notice')).toContainText('recovered the autosaved board');
  await expect.poll(() => terminalText(page)).toContain('Hello from main.s!');
  expect(await documentSource(page, 'main.s')).toBe(`${template}# my note`);

  // An error; the problem clicked in the list shows the source at its line.
  await page.getByTestId('document-tab').click();
  await page.getByTestId('source-tab-main.s').click();
  await page.getByTestId('source-editor').click();
  await page.keyboard.press('ControlOrMeta+Home');
  await page.keyboard.type('oops\n');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('problem-message')).toContainText("main.s:1:1: error: unknown instruction 'oops'");
  await page.getByTestId('document-tab').click();
  await page.getByTestId('problem').first().click();
  await expect(page.getByTestId('source-tab-main.s')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('[data-testid="source-editor"] .line-numbers.active-line-number')).toHaveText('1');
  expect(errors).toEqual([]);
});

test("the CPU inspector's Image field offers the board's sources beside the firmware files", async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await page.getByTestId('new-source').click();
  await expect.poll(() => terminalText(page)).toContain('Hello from main.s!');
  await page.getByTestId('tab-composition').click();
  await page.getByTestId('composition-node-cpu0').click();
  const image = page.getByTestId('image-select');
  await expect(image).toHaveValue('source:main.s');
  await expect(page.getByTestId('image-runs')).toHaveText('runs main.s');
  // the bundled hello instead, then the source again: each runs
  await image.selectOption({ label: 'hello' });
  await expect(page.getByTestId('image-runs')).toHaveText('runs firmware/hello.elf');
  await expect(page.getByTestId('run-state')).toHaveText('halted: pass');
  const before = await session(page);
  await image.selectOption('source:main.s');
  await expect(page.getByTestId('image-runs')).toHaveText('runs main.s');
  await expect.poll(() => session(page)).toBeGreaterThan(before);
  await expect.poll(() => terminalText(page)).toContain('Hello from main.s!');
  await page.screenshot({ path: `${SHOTS}/5-image-field.png` });
  expect(errors).toEqual([]);
});

test('an assembler warning is said in a notice and marked (a warning) at its line and column, and the board runs', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await page.getByTestId('new-source').click();
  await expect.poll(() => terminalText(page)).toContain('Hello from main.s!');
  const template = (await documentSource(page, 'main.s'))!;
  const lines = template.split('\n').length; // the template ends with a newline: the cursor goes to the empty last line
  await page.getByTestId('source-editor').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('.byte 300');
  const before = await session(page);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('notice')).toContainText(`1 assembler warning: main.s:${lines}:`);
  await expect(page.getByTestId('notice')).toContainText('warning: value 300 truncated to 8 bits');
  await expect.poll(() => session(page)).toBeGreaterThan(before);

  // A warning marker (not an error) under "300", on the line typed; its message and hint when hovered.
  const warning = page.locator('[data-testid="source-editor"] .squiggly-warning');
  await expect(warning).toHaveCount(1);
  await expect(page.locator('[data-testid="source-editor"] .squiggly-error')).toHaveCount(0);
  const lastLine = page.locator('[data-testid="source-editor"] .line-numbers', { hasText: new RegExp(`^${lines}$`) });
  const value = page.locator('[data-testid="source-editor"] .view-lines span span', { hasText: /^300$/ });
  const [warningBox, lineBox, valueBox] = [await warning.boundingBox(), await lastLine.boundingBox(), await value.boundingBox()];
  expect(Math.abs(warningBox!.y - lineBox!.y)).toBeLessThan(lineBox!.height);
  expect(Math.abs(warningBox!.x - valueBox!.x)).toBeLessThan(2); // from column 7, where the value starts
  await value.hover();
  await expect(page.locator('.monaco-hover:not(.hidden)')).toContainText('value 300 truncated to 8 bits');
  await expect(page.locator('.monaco-hover:not(.hidden)')).toContainText('a .byte holds -128..255');
  await page.screenshot({ path: `${SHOTS}/8-warning-marked.png` });

  // The line taken out again and assembled: the marker goes.
  await page.getByTestId('source-editor').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.press('Delete');
  const again = await session(page);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect.poll(() => session(page)).toBeGreaterThan(again);
  await expect(warning).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('New source on the mps2-an385 machine type: a Thumb-2 program that greets on its CMSDK UART; Ctrl+Enter runs an edit of it', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  const newBoard = page.getByTestId('new-board');
  await newBoard.selectOption({ label: await newBoard.locator('option', { hasText: 'mps2-an385' }).innerText() });
  await expect(page.getByTestId('board-title')).toContainText('mps2-an385');
  await expect(page.getByTestId('run-state')).toHaveText('cpu0 has no firmware');

  // New source: a vector table and a reset handler in Thumb-2, assembled for the Cortex-M3 and run at once.
  await page.getByTestId('new-source').click();
  await expect(page.getByTestId('source-tab-main.s')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.source-editor .panel-subtitle')).toHaveText('armv7-m');
  await expect.poll(() => terminalText(page)).toContain('Hello from main.s!');
  await expect(page.getByTestId('firmware-chip')).toContainText('main.s');
  const template = (await documentSource(page, 'main.s'))!;
  expect(template).toContain('.syntax unified');
  expect(template).toContain('.equ UART, 0x40004000');
  // ARM highlighting: "@" starts the comment and "#1" before it is an immediate (in RISC-V's, "#" would start it)
  await expect(page.locator('[data-testid="source-editor"] .view-lines span span', { hasText: /^@\sbit\s0:\sTXEN,\sthe\stransmitter\sis\son$/ })).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/6-cortex-m-new-source.png` });

  // The greeting edited in the editor (its last line), Ctrl+Enter: the board restarts and prints it.
  await page.getByTestId('source-editor').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.type('.asciz "Thumb-2 typed in the browser\\n"');
  const before = await session(page);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect.poll(() => session(page)).toBeGreaterThan(before);
  await expect.poll(() => terminalText(page)).toContain('Thumb-2 typed in the browser\n');
  expect(await documentSource(page, 'main.s')).toBe(template.replace('.asciz "Hello from main.s!\\n"', '.asciz "Thumb-2 typed in the browser\\n"'));
  await expect(page.getByTestId('run-state')).toHaveText(/waiting|running/);
  await page.screenshot({ path: `${SHOTS}/7-cortex-m-ctrl-enter.png` });
  expect(errors).toEqual([]);
});
