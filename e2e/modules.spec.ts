// Device modules load lazily and fail politely (DESIGN.md principle 10): each is its own chunk of
// the production build, fetched when a board first uses one of its types; a chunk that cannot be
// fetched makes its types unavailable (a problem pointing at the object, a disabled palette entry)
// while the page keeps running other boards.
import { expect, test, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { catalogModules } from '../src/graph/index.ts';
import { openDesigner, session, waitForGreeting } from './helpers.ts';

// The build playwright.config.ts serves (its own folder when BOARDLAB_E2E_PORT is set).
const port = Number(process.env.BOARDLAB_E2E_PORT ?? 4173);
const assets = fileURLToPath(new URL(`../${port === 4173 ? 'dist' : `dist-e2e-${port}`}/assets/`, import.meta.url));

/** The device module files the catalog names ("engine/devices/led" → "led"). */
const deviceFiles = [...catalogModules().keys()].filter((name) => name.startsWith('engine/devices/')).map((name) => name.slice('engine/devices/'.length));

/** The chunk a module file became: "<file>-<hash>.js". */
function chunkOf(file: string, names: string[]): string | undefined {
  return names.find((name) => new RegExp(`^${file}-[A-Za-z0-9_-]{8}\\.js$`).test(name));
}

async function openExample(page: Page, name: string): Promise<void> {
  await page.locator('.examples select').selectOption(`${name}.board.json`);
}

test.describe('device modules', () => {
  test('the build puts each device module in a chunk of its own that only a dynamic import reaches', () => {
    const names = readdirSync(assets).filter((name) => name.endsWith('.js'));
    const worker = names.find((name) => name.startsWith('emulator.worker-'));
    expect(worker, 'the emulator worker chunk').toBeDefined();
    const workerCode = readFileSync(assets + worker, 'utf8');
    expect(deviceFiles.length).toBeGreaterThan(5);
    const deviceChunks = new Set<string>();
    for (const file of deviceFiles) {
      const chunk = chunkOf(file, names);
      // A static import of the module anywhere in the worker would fold its code into another chunk.
      expect(chunk, `a chunk of its own for engine/devices/${file}`).toBeDefined();
      deviceChunks.add(chunk!);
      expect(workerCode).toContain(`import(\`./${chunk}\`)`);
      expect(workerCode).not.toContain(`from"./${chunk}"`);
      expect(workerCode).not.toContain(`import"./${chunk}"`);
    }
    // The models' code (their state descriptors name them) is in their chunks and nowhere else:
    // not in the worker's entry chunk, not in the page's chunks (say, for a register constant).
    for (const chunk of deviceChunks) {
      const markers = readFileSync(assets + chunk, 'utf8').match(/name:`[a-z0-9-]+`,version:\d+/g) ?? [];
      expect(markers.length, `${chunk} defines a state descriptor`).toBeGreaterThan(0);
      for (const other of names.filter((name) => !deviceChunks.has(name))) {
        const code = readFileSync(assets + other, 'utf8');
        for (const marker of markers) expect(code.includes(marker), `${other} holds ${chunk}'s model (${marker})`).toBe(false);
      }
    }
  });

  test('a board fetches the chunks of the device types it uses, when it first uses them', async ({ page }) => {
    const fetched: string[] = [];
    page.on('request', (request) => fetched.push(new URL(request.url()).pathname.split('/').pop() ?? ''));
    const names = readdirSync(assets);
    const chunk = (file: string) => chunkOf(file, names)!;
    const { errors } = await openDesigner(page);
    await waitForGreeting(page);
    // hello: RAM, a UART and the finisher — and no framebuffer, LED or GPIO.
    for (const file of ['ram', 'ns16550a', 'sifive-test']) expect(fetched, file).toContain(chunk(file));
    for (const file of ['framebuffer', 'led', 'gpio']) expect(fetched, file).not.toContain(chunk(file));
    await openExample(page, 'framebuffer');
    await expect(page.getByTestId('board-title')).toContainText('framebuffer');
    await expect.poll(() => fetched).toContain(chunk('framebuffer'));
    expect(fetched).not.toContain(chunk('led'));
    expect(errors).toEqual([]);
  });

  test('a device module that fails to load: its types are unavailable, with the reason, and other boards still run', async ({ page }) => {
    const ledChunk = chunkOf('led', readdirSync(assets))!;
    // The real dynamic import fails: the request for the LED's chunk never gets an answer.
    await page.route(`**/assets/${ledChunk}`, (route) => route.abort('failed'));
    const { errors } = await openDesigner(page);
    await waitForGreeting(page);

    const helloSession = await session(page);
    await openExample(page, 'blinky');
    await expect(page.getByTestId('problem-count')).toHaveText('1');
    await expect(page.getByTestId('problem-pointer')).toHaveText('/objects/led0');
    await expect(page.getByTestId('problem-message')).toContainText('type "led" of /machine/led0 is unavailable: module engine/devices/led failed to load');
    // The board that ran before stays loaded: no new run session started.
    expect(await session(page)).toBe(helloSession);

    await page.getByTestId('tab-composition').click();
    const led = page.getByTestId('palette-led');
    await expect(led).toHaveAttribute('aria-disabled', 'true');
    await expect(led).toHaveAttribute('draggable', 'false');
    await expect(page.getByTestId('palette-add-led')).toBeDisabled();
    await expect(page.getByTestId('palette-unavailable-led')).toContainText('module engine/devices/led failed to load');
    // Types of the modules that loaded stay available.
    await expect(page.getByTestId('palette-gpio')).toHaveAttribute('aria-disabled', 'false');
    await expect(page.getByTestId('palette-add-gpio')).toBeEnabled();

    // Another board runs: a new session (its terminal starts empty) greets and passes.
    await openExample(page, 'hello');
    await expect.poll(() => session(page)).toBeGreaterThan(helloSession);
    await expect(page.getByTestId('problem-count')).toHaveText('0');
    await waitForGreeting(page);
    expect(errors).toEqual([]);
  });
});
