// Files that are not board documents, opened in the designer the ways a user opens boards: the
// "Open board…" file picker, drag and drop, and a share link. Each is refused with a message that
// names the file and the problem; the board being designed stays as it was and the page keeps working.
import { expect, test, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { dropFile, instructions, openDesigner, session, waitForGreeting } from './helpers';

const goodText = JSON.stringify({ boardlab: 1, name: 'x', extends: 'riscv-virt', objects: {} });

/** Bytes that are not UTF-8 (0xff never occurs in it), deterministic. */
function garbage(): Buffer {
  const bytes = Buffer.alloc(4096);
  let seed = 7;
  for (let i = 0; i < bytes.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = seed >> 16;
  }
  bytes[3] = 0xff;
  return bytes;
}

/** name → [file contents, the problem the message must say]. */
const inputs: Array<[string, Buffer, RegExp]> = [
  ['null.board.json', Buffer.from('null'), /the board is null, not a JSON object/],
  ['array.board.json', Buffer.from('[]'), /the board is an array, not a JSON object/],
  ['true.board.json', Buffer.from('true'), /the board is true, not a JSON object/],
  ['number.board.json', Buffer.from('42'), /the board is a number \(42\), not a JSON object/],
  ['string.board.json', Buffer.from('"riscv-virt"'), /the board is a string, not a JSON object/],
  ['empty.board.json', Buffer.alloc(0), /the file is empty/],
  ['garbage.board.json', garbage(), /the file is binary, not a board document/],
  ['utf16.board.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(goodText, 'utf16le')]), /the file is UTF-16 text, not UTF-8/],
  ['deep.board.json', Buffer.from('{"boardlab": 1, "name": "deep", "objects": {}, "x": ' + '['.repeat(100_000) + ']'.repeat(100_000) + '}'), /nests deeper than 256 levels/],
  ['null-inside.board.zip', Buffer.from(zipSync({ 'null-inside.board.json': new TextEncoder().encode('null') })), /the board is null, not a JSON object/],
  ['binary-inside.board.zip', Buffer.from(zipSync({ 'binary-inside.board.json': new Uint8Array(garbage()) })), /binary-inside\.board\.json in the zip file: the file is binary/],
];

function designText(page: Page): Promise<string | null> {
  return page.evaluate(() => window.__boardlab?.documentText() ?? null);
}

/** The refusal names the file and the problem, in one problem with no stack trace. */
async function expectRefused(page: Page, name: string, problem: RegExp): Promise<void> {
  const panel = page.getByTestId('problems');
  await expect(panel).toContainText(`${name} was rejected`);
  const listed = panel.getByTestId('problem');
  await expect(listed).toHaveCount(1);
  await expect(listed.getByTestId('problem-message')).toHaveText(problem);
  expect(await listed.innerText()).not.toMatch(/\n\s*at |\.(ts|js):\d+:\d+|Error: /);
}

/** The hello board still runs: Reset reruns it. */
async function stillRuns(page: Page): Promise<void> {
  await expect(page.getByTestId('board-title')).toContainText('hello');
  const before = await session(page);
  await page.getByTestId('reset').click();
  await expect.poll(() => session(page)).toBeGreaterThan(before);
  await waitForGreeting(page);
  expect(await instructions(page)).toBeGreaterThan(0);
}

test('files that are not boards, opened with "Open board…", are refused by name and reason; the design and the page stay', async ({ page }) => {
  test.setTimeout(180_000);
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  const design = await designText(page);
  expect(design).toContain('"boardlab"');

  for (const [name, buffer, problem] of inputs) {
    await page.getByTestId('open-board').setInputFiles({ name, mimeType: 'application/json', buffer });
    await expectRefused(page, name, problem);
    expect(await designText(page), `${name} must not replace the design`).toBe(design);
  }

  // Larger than 64 MiB: refused before it is decoded. (Playwright passes buffers of up to 50 MB; this one goes as a file.)
  const huge = test.info().outputPath('huge.board.json');
  writeFileSync(huge, Buffer.alloc(64 * 1024 * 1024 + 1, 0x20));
  await page.getByTestId('open-board').setInputFiles(huge);
  await expectRefused(page, 'huge.board.json', /the file is 64\.0 MiB, larger than the 64 MiB a board document may be/);
  expect(await designText(page)).toBe(design);

  await stillRuns(page);
  expect(errors).toEqual([]);
});

test('files that are not boards, dropped on the page, are refused the same way', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  const design = await designText(page);
  for (const [name, buffer, problem] of inputs.filter(([name]) => ['null.board.json', 'garbage.board.json', 'deep.board.json', 'null-inside.board.zip'].includes(name))) {
    await dropFile(page, name, buffer, 'application/json');
    await expectRefused(page, name, problem);
    expect(await designText(page)).toBe(design);
  }
  await stillRuns(page);
  expect(errors).toEqual([]);
});

test('a share link whose board is not a board says it is damaged and opens the usual board', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const hash = '#bundle=' + Buffer.from(zipSync({ 'x.board.json': new TextEncoder().encode('null') })).toString('base64url');
  await page.goto('/' + hash);
  await expect(page.getByTestId('notice')).toContainText('the share link is damaged: the board is null, not a JSON object');
  await expect(page.getByTestId('board-title')).toContainText('hello');
  await waitForGreeting(page);
  expect(errors).toEqual([]);
});
