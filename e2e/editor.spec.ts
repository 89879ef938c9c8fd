import { expect, test, type Page } from '@playwright/test';
import { effectiveType } from '../src/graph/catalog.ts';
import { GREETING, openDesigner, terminalText, waitForGreeting } from './helpers';

// Text goes in by paste: typed text would get Monaco's auto-closing brackets and auto-indent.
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

async function replaceEditorText(page: Page, text: string): Promise<void> {
  await page.getByTestId('json-editor').locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.evaluate((value) => navigator.clipboard.writeText(value), text);
  await page.keyboard.press('ControlOrMeta+V');
}

const edited = {
  boardlab: 1,
  name: 'hello-edited',
  objects: { cpu0: { type: 'rv32' }, ram: { type: 'ram', props: { size: '128M' } }, uart0: { type: 'ns16550a' }, test: { type: 'sifive-test' } },
  memory: [
    { map: 'test.regs', at: '0x100000' },
    { map: 'uart0.regs', at: '0x10000000' },
    { map: 'ram.mem', at: '0x80000000' },
  ],
  images: [{ cpu: 'cpu0', file: 'firmware/hello.elf' }],
};

test('the board document can be edited and applied; a bad edit lands in the problems panel', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  const lines = page.getByTestId('json-editor').locator('.view-lines');
  await expect(lines).toContainText('"name": "hello"');

  // a good edit runs at once
  await replaceEditorText(page, JSON.stringify(edited, null, 2));
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('board-title')).toContainText('hello-edited');
  await waitForGreeting(page);
  expect(await terminalText(page)).toContain(GREETING);

  // a bad edit is rejected with its pointer; the edited board stays the running one
  await replaceEditorText(page, '{ "boardlab": 1, "name": "bad", "objects": { "cpu0": { "type": "rv32", "props": { "hart-id": -4 } } } }');
  await page.getByRole('button', { name: 'Apply' }).click();
  const problem = page.getByTestId('problem').first();
  await expect(problem).toBeVisible();
  await expect(problem.getByTestId('problem-pointer')).toHaveText(/^\/objects\/cpu0/);
  await expect(page.getByTestId('board-title')).toContainText('hello-edited');

  // the draft stays in the editor for fixing; Revert brings back the running board's text
  await expect(lines).toContainText('"bad"');
  await page.getByRole('button', { name: 'Revert' }).click();
  await expect(lines).toContainText('hello-edited');
  expect(errors).toEqual([]);
});

test('the JSON editor completes type and property names from the catalog and shows their docs on hover', async ({ page }) => {
  const { errors } = await openDesigner(page);
  const editor = page.getByTestId('json-editor');
  const suggestions = page.locator('.suggest-widget');

  // "type": offers catalog types
  await replaceEditorText(page, '{\n  "boardlab": 1,\n  "name": "typing",\n  "objects": {\n    "u": { "type": "ns1');
  await page.keyboard.press('Control+Space');
  await expect(suggestions).toBeVisible();
  await expect(suggestions.locator('.monaco-list-row').first()).toContainText('ns16550a');
  await page.keyboard.press('Escape');

  // inside "props": the type's own properties
  await replaceEditorText(page, '{\n  "boardlab": 1,\n  "name": "typing",\n  "objects": {\n    "mem": { "type": "ram", "props": { "sh');
  await page.keyboard.press('Control+Space');
  await expect(suggestions.locator('.monaco-list-row').first()).toContainText('shared');
  await page.keyboard.press('Escape');

  // hover over a property name shows its doc and default
  const ramSize = effectiveType('ram')!.props.find((p) => p.name === 'size')!;
  await replaceEditorText(page, JSON.stringify({ boardlab: 1, name: 'hover', objects: { mem: { type: 'ram', props: { size: '1M' } } } }, null, 2));
  await editor.locator('.view-line span', { hasText: /^"size"$/ }).hover();
  const hover = page.locator('.monaco-hover:not(.hidden)');
  await expect(hover).toContainText(ramSize.doc);
  await expect(hover).toContainText('default 128 MiB');
  // and over a type name, the type's doc (the first hover goes away before the next is asked for)
  await page.mouse.move(0, 0);
  await page.keyboard.press('Escape');
  await expect(hover).toHaveCount(0);
  await editor.locator('.view-line span', { hasText: /^"ram"$/ }).hover();
  await expect(hover).toContainText(effectiveType('ram')!.doc);
  expect(errors).toEqual([]);
});
