import { expect, test, type Page } from '@playwright/test';
import { GREETING, instructions, openBoardFile, openDesigner, openFirmware, session, terminalText, waitForGreeting } from './helpers';

const unknownType = JSON.stringify(
  {
    boardlab: 1,
    name: 'broken',
    objects: {
      cpu0: { type: 'rv32' },
      ram: { type: 'ram', props: { size: '1M' } },
      gpu: { type: 'quantum-gpu' },
    },
    memory: [{ map: 'ram.mem', at: '0x80000000' }],
  },
  null,
  2,
);

/** The page still works: the previous board is still the running one and Reset reruns it. */
async function stillWorks(page: Page): Promise<void> {
  await expect(page.getByTestId('board-title')).toContainText('hello');
  const before = await session(page);
  await page.getByTestId('reset').click();
  await expect.poll(() => session(page)).toBeGreaterThan(before);
  await waitForGreeting(page);
  expect(await instructions(page)).toBeGreaterThan(0);
}

function noStackTrace(text: string): void {
  expect(text).not.toMatch(/\n\s*at |\.(ts|js):\d+:\d+|Error: /);
}

test('a board with an unknown object type is rejected with its pointer, and the page keeps working', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);

  await openBoardFile(page, 'broken.board.json', unknownType);
  const problems = page.getByTestId('problems');
  await expect(page.getByTestId('problem-count')).not.toHaveText('0');
  await expect(problems).toContainText('broken.board.json was rejected');
  const problem = problems.getByTestId('problem').filter({ hasText: 'quantum-gpu' });
  await expect(problem).toHaveCount(1);
  await expect(problem.getByTestId('problem-pointer')).toHaveText(/^\/objects\/gpu/);
  noStackTrace(await problem.innerText());

  // the rejected document is in the editor as a draft, the problem marked where it is
  const editor = page.getByTestId('json-editor');
  await expect(editor.locator('.view-lines')).toContainText('quantum-gpu');
  await expect(editor.locator('.squiggly-error').first()).toBeVisible();
  await problem.click();
  await expect(editor.locator('.selected-text').first()).toBeVisible();

  // the running board is untouched and still runs
  expect(await terminalText(page)).toContain(GREETING);
  await stillWorks(page);
  expect(errors).toEqual([]);
});

test('a board file with a JSON syntax error names the line, and the page keeps working', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);

  await openBoardFile(page, 'typo.board.json', '{\n  "boardlab": 1,\n  "name": "typo"\n  "objects": {}\n}\n');
  const problem = page.getByTestId('problem');
  await expect(problem).toHaveCount(1);
  await expect(problem.getByTestId('problem-message')).toContainText('not valid JSON');
  await expect(problem.getByTestId('problem-message')).toContainText('line 4');
  await expect(problem.getByTestId('problem-pointer')).toHaveText('(document)');
  await stillWorks(page);
  expect(errors).toEqual([]);
});

test('firmware that is not an ELF file gives a one-line error, and the page keeps working', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);

  await openFirmware(page, 'notes.txt', Buffer.from('these are notes, not a program\n'));
  const problem = page.getByTestId('problem');
  await expect(problem).toHaveCount(1);
  const message = problem.getByTestId('problem-message');
  await expect(message).toContainText('not an ELF file');
  const text = await message.innerText();
  expect(text.trim().split('\n')).toHaveLength(1);
  noStackTrace(await problem.innerText());
  await expect(page.getByTestId('problems')).toContainText('firmware notes.txt was rejected');

  await expect(page.getByTestId('board-title')).not.toContainText('notes.txt');
  await stillWorks(page);
  expect(errors).toEqual([]);
});

test('a board whose image file does not exist says which file, and the page keeps working', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);

  const board = JSON.parse(unknownType) as { objects: Record<string, unknown>; images?: unknown };
  delete board.objects.gpu;
  board.images = [{ cpu: 'cpu0', file: 'firmware/missing.elf' }];
  await openBoardFile(page, 'missing-image.board.json', JSON.stringify(board));
  const problem = page.getByTestId('problem');
  await expect(problem).toHaveCount(1);
  await expect(problem.getByTestId('problem-message')).toContainText('firmware/missing.elf');
  await expect(problem.getByTestId('problem-pointer')).toHaveText('/images/0/file');
  await stillWorks(page);
  expect(errors).toEqual([]);
});
