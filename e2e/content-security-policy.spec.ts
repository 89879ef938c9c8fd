// The strict Content-Security-Policy (scripts/lib/http-headers.ts) on the production build: a user
// runs the default board, writes code in the source editor (Monaco), opens a lesson, types in the
// terminal and switches tiers, and the page reports no violation. The policy bites: eval and an
// inline script are refused in the page, and WebAssembly still compiles in the emulator worker.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { CONTENT_SECURITY_POLICY, CROSS_ORIGIN_ISOLATION, scriptHash } from '../scripts/lib/http-headers';
import { openDesigner, waitForGreeting } from './helpers';

const SHOTS = 'test-results/content-security-policy';

/** Collects the page's CSP violations (securitypolicyviolation events, and Chromium's console errors about the policy). */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__cspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __cspViolation(text: string): void }).__cspViolation(`${event.violatedDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) violations.push(`console: ${message.text()}`);
  });
  return violations;
}

test('under the strict policy the designer runs a board, Monaco, a lesson, the terminal and a tier switch with no violation', async ({ page }) => {
  const violations = await watchViolations(page);
  const documentResponse = page.waitForResponse((response) => new URL(response.url()).pathname === '/');
  const workerResponse = page.waitForResponse((response) => /emulator\.worker-[\w-]+\.js$/.test(response.url()));
  const { errors } = await openDesigner(page);
  // The page and the emulator worker's script both come with the policy and the isolation headers.
  for (const response of [await documentResponse, await workerResponse]) {
    expect(response.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers()['cross-origin-embedder-policy']).toBe(CROSS_ORIGIN_ISOLATION['Cross-Origin-Embedder-Policy']);
  }
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  await waitForGreeting(page);

  // The source editor (Monaco and its workers): a new source, typed into, assembled and run.
  await page.getByTestId('new-source').click();
  const editor = page.getByTestId('source-editor');
  await expect(editor.locator('.view-lines')).toContainText('_start');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('nop');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('run-state')).not.toHaveText('empty');

  // A lesson from the gallery, and the terminal: the echo lesson's board waits for keys.
  await page.getByTestId('lesson-gallery').selectOption({ label: 'Interrupts: a UART echo through the PLIC' });
  await expect(page.getByTestId('lesson-panel')).toBeVisible();
  await page.locator('.xterm').first().click();
  await page.keyboard.type('hi');
  await expect.poll(() => page.evaluate(() => window.__boardlab?.inputWaiting() ?? -1)).toBe(0);

  // Both tiers, chosen with the keyboard.
  const tier = page.getByRole('combobox', { name: 'Execution tier' });
  await tier.focus();
  await tier.selectOption('interp');
  await expect(tier).toHaveValue('interp');
  await tier.selectOption('jit');
  await expect(tier).toHaveValue('jit');
  await page.screenshot({ path: `${SHOTS}/designer-under-csp.png` });

  // The emulator worker compiles WebAssembly under the policy ('wasm-unsafe-eval').
  await expect(page.getByTestId('tier-cpus')).toHaveAttribute('data-webassembly', 'available');
  expect(violations).toEqual([]);
  expect(errors).toEqual([]);

  // The policy bites: eval and new Function from the page's own code (a task, not the test's
  // evaluation), and an inline script, are refused; each is reported as a violation.
  const evaluated = await page.evaluate(
    () =>
      new Promise<string[]>((resolve) =>
        setTimeout(() => {
          const outcomes: string[] = [];
          for (const attempt of [() => (0, eval)('1 + 1'), () => new Function('return 1 + 1')()]) {
            try {
              outcomes.push(`ran: ${String(attempt())}`);
            } catch (error) {
              outcomes.push(error instanceof EvalError ? 'refused' : `failed: ${String(error)}`);
            }
          }
          resolve(outcomes);
        }),
      ),
  );
  expect(evaluated).toEqual(['refused', 'refused']);
  const inlineRan = await page.evaluate(
    () =>
      new Promise<boolean>((resolve) => {
        const script = document.createElement('script');
        script.textContent = 'window.__inlineRan = true';
        document.head.append(script);
        setTimeout(() => resolve((window as unknown as { __inlineRan?: boolean }).__inlineRan === true), 100);
      }),
  );
  expect(inlineRan).toBe(false);
  await expect.poll(() => violations.some((v) => v.startsWith('script-src-elem') || v.startsWith('script-src blocked inline'))).toBe(true);
  await expect.poll(() => violations.some((v) => v.includes('blocked eval'))).toBe(true);
});

test('a policy without wasm-unsafe-eval stops WebAssembly in the emulator worker, and the run panel says so', async ({ page }) => {
  // Proves the worker's check measures the policy: the same build, served with 'wasm-unsafe-eval' removed.
  const withoutWasm = CONTENT_SECURITY_POLICY.replace(" 'wasm-unsafe-eval'", '');
  expect(withoutWasm).not.toBe(CONTENT_SECURITY_POLICY);
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': withoutWasm } });
  });
  await openDesigner(page);
  await waitForGreeting(page);
  await expect(page.getByTestId('tier-cpus')).toHaveAttribute('data-webassembly', 'refused');
  await expect(page.getByTestId('tier-note')).toContainText('WebAssembly is refused');
  // requests still in flight must not outlive the test (they would fail the next one)
  await page.unrouteAll({ behavior: 'ignoreErrors' });
});

test('the dev server allows its React refresh preamble by hash, and nothing inline besides', async () => {
  // vite's dev server writes the preamble into index.html; its hash must be in the dev policy.
  const root = fileURLToPath(new URL('..', import.meta.url));
  const server = await createServer({ root, configFile: `${root}vite.config.ts`, server: { middlewareMode: true, ws: false }, logLevel: 'silent' });
  try {
    const html = await server.transformIndexHtml('/', readFileSync(`${root}index.html`, 'utf8'));
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1]);
    expect(inline.length).toBeGreaterThan(0);
    const policy = String(server.config.server.headers?.['Content-Security-Policy']);
    const scriptSrc = policy.split('; ').find((directive) => directive.startsWith('script-src ')) ?? '';
    for (const text of inline) expect(scriptSrc).toContain(scriptHash(text));
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    // Otherwise the production policy, directive for directive.
    expect(policy.replace(/ 'sha256-[^']+'/g, '')).toBe(CONTENT_SECURITY_POLICY);
  } finally {
    await server.close();
  }
});
