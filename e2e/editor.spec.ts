import { expect, test, type Page } from '@playwright/test';
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
