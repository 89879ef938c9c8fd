// The production build is static files that work from any folder of any web server that sends the
// cross-origin isolation headers and the Content-Security-Policy (docs/lessons.md, "Hosting"): a
// class's page at https://school.example/boardlab/. This serves the very build the other specs use
// from a sub-folder with a plain Node file server sending exactly those headers
// (scripts/lib/http-headers.ts), and opens the designer and a lesson from the gallery; the docs
// quote the same headers.
import { expect, test } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY, STATIC_HOST_HEADERS } from '../scripts/lib/http-headers';
import { GREETING, terminalText } from './helpers';

const PORT = Number(process.env.BOARDLAB_E2E_PORT ?? 4173);
const BUILD = fileURLToPath(new URL(`../${PORT !== 4173 ? `dist-e2e-${PORT}` : 'dist'}/`, import.meta.url));
const FOLDER = '/class/boardlab/';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.wasm': 'application/wasm', '.ttf': 'font/ttf' };

let server: Server;
let origin = '';

test.beforeAll(async () => {
  server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://host').pathname);
    if (!path.startsWith(FOLDER)) {
      response.writeHead(404).end();
      return;
    }
    const file = normalize(join(BUILD, path.slice(FOLDER.length) || 'index.html'));
    if (!file.startsWith(BUILD)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (bytes) => {
        response.writeHead(200, {
          'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
          ...STATIC_HOST_HEADERS,
        });
        response.end(bytes);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('the build served from a sub-folder of a plain static server runs the default board and opens a lesson from the gallery', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) errors.push(message.text());
  });
  await page.goto(`${origin}${FOLDER}`);
  await expect(page.getByTestId('board-title')).toContainText('hello');
  await expect.poll(() => terminalText(page)).toContain(GREETING);
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);

  await page.getByTestId('lesson-gallery').selectOption({ label: 'Hello on a board you wire yourself' });
  await expect(page.getByTestId('lesson-panel')).toBeVisible();
  await expect(page.getByTestId('board-title')).toContainText('hello-lesson');
  expect(errors).toEqual([]);
});

test('the hosting docs quote the headers the servers send, word for word', () => {
  // One definition (scripts/lib/http-headers.ts) for vite, this server and the docs: a changed policy fails here until the docs say it.
  for (const doc of ['docs/lessons.md', 'README.md']) {
    const text = readFileSync(fileURLToPath(new URL(`../${doc}`, import.meta.url)), 'utf8');
    for (const [name, value] of Object.entries(STATIC_HOST_HEADERS)) expect(text, `${doc} quotes ${name}`).toContain(`${name}: ${value}`);
  }
  const lessons = readFileSync(fileURLToPath(new URL('../docs/lessons.md', import.meta.url)), 'utf8');
  // The server examples carry the same policy.
  expect(lessons).toContain(`add_header Content-Security-Policy "${CONTENT_SECURITY_POLICY}" always;`);
  expect(lessons).toContain(`Header set Content-Security-Policy "${CONTENT_SECURITY_POLICY}"`);
});
