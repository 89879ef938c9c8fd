import { expect, type Browser, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const GREETING = 'Hello, BoardLab!';

export function firmwareFile(name: string): Buffer {
  return readFileSync(fileURLToPath(new URL(`../public/firmware/${name}`, import.meta.url)));
}

/** Text the terminal has shown in this session (kept by the page beside xterm's own buffer). */
export function terminalText(page: Page): Promise<string> {
  return page.evaluate(() => window.__boardlab?.terminalText() ?? '');
}

export async function instructions(page: Page): Promise<number> {
  return page.evaluate(() => window.__boardlab?.snapshot()?.instructions ?? -1);
}

export async function session(page: Page): Promise<number> {
  return page.evaluate(() => window.__boardlab?.snapshot()?.session ?? -1);
}

/** Opens the designer and collects uncaught page errors, which every test expects none of. */
export async function openDesigner(page: Page): Promise<{ errors: string[] }> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await expect(page.getByTestId('board-title')).toContainText('hello');
  return { errors };
}

export async function waitForGreeting(page: Page): Promise<void> {
  await expect.poll(() => terminalText(page)).toContain(GREETING);
  await expect(page.getByTestId('run-state')).toHaveText('halted: pass');
}

export async function openFirmware(page: Page, name: string, buffer: Buffer): Promise<void> {
  await page.getByTestId('open-firmware').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
}

/** Drops a file on the page, as a user drags one from the desktop (the page accepts boards and firmware anywhere). */
export async function dropFile(page: Page, name: string, bytes: Uint8Array, mimeType: string): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ data, fileName, type }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], fileName, { type }));
      return dt;
    },
    { data: [...bytes], fileName: name, type: mimeType },
  );
  await page.dispatchEvent('.app', 'drop', { dataTransfer: transfer });
}

export async function openBoardFile(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('open-board').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

/** A symbol's address in a committed firmware ELF, from Debian's nm (8 hex digits, as the view shows it). */
export function symbolAddress(elf: string, name: string): string {
  const path = fileURLToPath(new URL(`../public/firmware/${elf}`, import.meta.url));
  const line = execFileSync('riscv64-unknown-elf-nm', [path], { encoding: 'utf8' })
    .split('\n')
    .find((l) => l.endsWith(` ${name}`));
  if (!line) throw new Error(`${elf} has no symbol ${name}`);
  return line.split(' ')[0];
}

/** The counter firmware on the default board, paused after its first tick, with the debugger open. */
export async function pausedCounterInDebugger(page: Page): Promise<void> {
  await waitForGreeting(page);
  await openFirmware(page, 'counter.elf', firmwareFile('counter.elf'));
  await expect.poll(() => terminalText(page)).toContain('tick 1');
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  await page.getByTestId('toggle-debug').click();
}

/** A locator's box once it has stopped moving (layout and fit-to-view run asynchronously). */
export async function settledBox(page: Page, locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  let last = await locator.boundingBox();
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(100);
    const now = await locator.boundingBox();
    if (last && now && now.x === last.x && now.y === last.y && now.width === last.width) return now;
    last = now;
  }
  if (!last) throw new Error(`${locator} has no box`);
  return last;
}

/** Drags with the mouse from one React Flow handle to another (a wire, or a mapping from the bus). */
export async function dragBetween(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = await settledBox(page, from);
  const b = await settledBox(page, to);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Drags a type from the palette onto a designer view, at a point of the view. */
export async function dropFromPalette(page: Page, type: string, view: string, x: number, y: number): Promise<void> {
  await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId(`view-${view}`), { targetPosition: { x, y } });
}

/** The board document the designer edits, as text. */
export function designDocument(page: Page): Promise<string> {
  return page.evaluate(() => window.__boardlab?.documentText() ?? '');
}

/** The text of one terminal tab: the UART at `path` ("uart0" or "/machine/uart0"). */
export function streamText(page: Page, path: string): Promise<string> {
  return page.evaluate((p) => window.__boardlab?.terminalTextOf(p) ?? '', path);
}

/** Selects a node of the composition view and renames it in the inspector. */
export async function rename(page: Page, view: Locator, node: string, name: string): Promise<void> {
  // near its title: a node at the edge of the view may be cut off on the right
  await view.getByTestId(`composition-node-${node}`).click({ position: { x: 24, y: 12 } });
  await expect(page.getByTestId('inspector-name')).toHaveValue(node, { timeout: 5000 });
  await page.getByTestId('inspector-name').fill(name);
  await page.getByTestId('inspector-name').press('Enter');
  await expect(view.getByTestId(`composition-node-${name}`)).toBeVisible();
}

/** Types a value into a text property of the object the inspector shows. */
export async function setProp(page: Page, prop: string, value: string): Promise<void> {
  await page.getByTestId(`prop-${prop}`).fill(value);
  await page.getByTestId(`prop-${prop}`).press('Enter');
}

/** Drags from an address space's bus to a region in the memory view and maps it where the prompt is told. */
export async function mapRegion(page: Page, memory: Locator, bus: string, region: string, at: string): Promise<void> {
  // the whole view in sight: a region may lie past the edge of a view fitted only down to a readable zoom
  // A drag that ends while the view is still laid out again after the last edit may miss its
  // handle: then it is made again, as a user would.
  const prompt = page.getByTestId('prompt-address');
  for (let attempt = 0; attempt < 3 && !(await prompt.isVisible()); attempt++) {
    await memory.locator('.react-flow__controls-fitview').click();
    await dragBetween(page, memory.getByTestId(`handle-${bus}-out:map`), memory.getByTestId(`handle-${region}-in:map`));
    await prompt.waitFor({ state: 'visible', timeout: 3000 }).catch(() => undefined);
  }
  await prompt.fill(at);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('connect-prompt')).toHaveCount(0);
}

/** A page in a browser context of its own (no autosave, no share link seen before), collecting its uncaught errors. */
export async function freshPage(browser: Browser): Promise<{ page: Page; close: () => Promise<void>; errors: string[] }> {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, close: () => context.close(), errors };
}

/** Expects the lesson panel's checks of the current step, in order: ticked (true) or not (false). */
export async function expectTicks(page: Page, passed: boolean[]): Promise<void> {
  const checks = page.getByTestId('lesson-check');
  await expect(checks).toHaveCount(passed.length);
  for (const [i, pass] of passed.entries()) await expect(checks.nth(i)).toHaveAttribute('data-passed', String(pass));
}

/** Puts the focused editor's cursor at the end of a 1-based line, with the keyboard. */
export async function toEndOfLine(page: Page, line: number): Promise<void> {
  await page.keyboard.press('ControlOrMeta+Home');
  for (let i = 1; i < line; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
}

/** Replaces the source editor's text by typing `lines` (the keyboard, not the store; no leading spaces: Monaco indents). */
export async function typeSource(page: Page, lines: readonly string[]): Promise<void> {
  await page.getByTestId('source-editor').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  for (const [i, line] of lines.entries()) {
    await page.keyboard.type(line);
    if (i < lines.length - 1) await page.keyboard.press('Enter');
  }
}
