// The register layouts added late in issue #15: the mps2-an385 dual timer's two counters and the
// SCC decoded live in the inspector, and a hart's counter CSRs (minstret, mcountinhibit…).
import { expect, test, type Page } from '@playwright/test';
import { openDesigner, terminalText, waitForGreeting } from './helpers.ts';

/** The register row `name` of the inspector's live view. */
const register = (page: Page, name: string) => page.getByTestId('live-registers').locator(`[data-testid="live-register"][data-name="${name}"]`);

test("clicking mps2-an385's dual timer and SCC shows their registers decoded; a hart shows its counters", async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);

  // The hello hart ran: minstret counts what it retired; no counter is inhibited.
  await page.getByTestId('tab-composition').click();
  await page.getByTestId('view-composition').getByTestId('composition-node-cpu0').click({ position: { x: 24, y: 12 } });
  await expect(page.getByTestId('live-registers')).toHaveAttribute('data-path', '/machine/cpu0');
  await expect(register(page, 'minstret').getByTestId('live-register-value')).not.toHaveText('0x00000000');
  await expect(register(page, 'minstreth').getByTestId('live-register-value')).toHaveText('0x00000000');
  await expect(register(page, 'mcountinhibit').getByTestId('live-field').filter({ hasText: /^CY/ })).toHaveText('CY = 0');

  // mps2-an385 running its starter program; the dual timer after reset (TRM: CONTROL 0x20, VALUE 0xFFFFFFFF).
  const newBoard = page.getByTestId('new-board');
  await newBoard.selectOption({ label: await newBoard.locator('option', { hasText: 'mps2-an385' }).innerText() });
  await expect(page.getByTestId('board-title')).toContainText('mps2-an385');
  await page.getByTestId('new-source').click();
  await expect.poll(() => terminalText(page)).toContain('Hello from main.s!');
  // (the composition view renders only the nodes in sight: fit the view to see them all)
  await page.getByTestId('tab-composition').click();
  const composition = page.getByTestId('view-composition');
  await composition.locator('.react-flow__controls-fitview').click();
  await composition.getByTestId('composition-node-dualtimer').click({ position: { x: 24, y: 12 } });
  await expect(page.getByTestId('live-registers')).toHaveAttribute('data-path', '/machine/dualtimer');
  for (const counter of [1, 2]) {
    const control = register(page, `CONTROL[${counter}]`).getByTestId('live-field');
    await expect(control.filter({ hasText: /^INTEN/ })).toHaveText('INTEN = 1');
    await expect(control.filter({ hasText: /^ENABLE/ })).toHaveText('ENABLE = 0');
    await expect(control.filter({ hasText: /^MODE/ })).toHaveText('MODE = free-running');
    await expect(register(page, `VALUE[${counter}]`).getByTestId('live-register-value')).toHaveText('0xffffffff');
  }
  await page.screenshot({ path: 'test-results/register-layouts/1-dualtimer.png' });

  // The SCC: QEMU's AN385 identification and board revision.
  await composition.getByTestId('composition-node-scc').click({ position: { x: 24, y: 12 } });
  await expect(page.getByTestId('live-registers')).toHaveAttribute('data-path', '/machine/scc');
  await expect(register(page, 'ID').getByTestId('live-register-value')).toHaveText('0x41043850');
  await expect(register(page, 'CFG4').getByTestId('live-field')).toHaveText('revision = 2');
  await expect(register(page, 'DLL').getByTestId('live-field').filter({ hasText: /^LOCKED =/ })).toHaveText('LOCKED = 1');
  await page.screenshot({ path: 'test-results/register-layouts/2-scc.png' });
  expect(errors).toEqual([]);
});
