// The HTTP headers BoardLab's pages and workers need, defined once: vite's dev and preview servers
// send them (vite.config.ts), e2e/static-host.spec.ts's plain file server sends them, and the docs
// quote them for any static host (a test there checks the quote).
import { createHash } from 'node:crypto';

/**
 * Cross-origin isolation: SharedArrayBuffer (guest RAM, control words, serial rings) and a shared
 * WebAssembly.Memory exist only on cross-origin-isolated pages.
 */
export const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

/**
 * The production Content-Security-Policy, one directive per entry, each as strict as the page lets
 * it be (measured: e2e/content-security-policy.spec.ts runs the designer under it and allows no
 * violation):
 * - scripts only from the site: no inline script, no `eval`/`new Function` ('unsafe-eval' absent),
 *   but WebAssembly compiled at run time ('wasm-unsafe-eval'): the compiling tier turns hot guest
 *   code into WebAssembly modules in the emulator worker;
 * - workers (the emulator, ELK's layout, Monaco's editor and JSON workers) only from the site;
 * - styles from the site and inline: Monaco and xterm create `<style>` elements at run time and
 *   Monaco renders lines with `style` attributes, with no way to give them a nonce;
 * - images from the site and data: URLs (the favicon is one);
 * - fetches (firmware images, lesson files) only from the site; no plugins, no `<base>` elsewhere,
 *   forms post nowhere.
 */
const PRODUCTION_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
];

export const CONTENT_SECURITY_POLICY = PRODUCTION_DIRECTIVES.join('; ');

/** What a static host sends with every file of the build (and `vite preview` does). */
export const STATIC_HOST_HEADERS = { ...CROSS_ORIGIN_ISOLATION, 'Content-Security-Policy': CONTENT_SECURITY_POLICY } as const;

/** The CSP source expression of an inline script: its SHA-256 in base64 (CSP level 2). */
export function scriptHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * `vite` (the dev server) adds to the production policy only what its dev client needs: the React
 * refresh preamble, an inline module script, by its hash (`inlineScripts`: the exact texts).
 */
export function devServerPolicy(inlineScripts: readonly string[]): string {
  const hashes = inlineScripts.map(scriptHash).join(' ');
  return PRODUCTION_DIRECTIVES.map((directive) => (directive.startsWith('script-src ') ? `${directive} ${hashes}` : directive)).join('; ');
}
