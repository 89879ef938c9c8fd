import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { bundledFirmwarePlugin } from './scripts/lib/bundled-firmware.ts';
import { firmwareSourcesPlugin } from './scripts/lib/firmware-sources.ts';
import { devServerPolicy, STATIC_HOST_HEADERS } from './scripts/lib/http-headers.ts';

// Cross-origin isolation (SharedArrayBuffer for guest RAM and control words) and the
// Content-Security-Policy (no eval, WebAssembly allowed): scripts/lib/http-headers.ts. The dev
// server also allows its React refresh preamble, an inline script, by its hash.
const devHeaders = { ...STATIC_HOST_HEADERS, 'Content-Security-Policy': devServerPolicy([react.preambleCode.replace('__BASE__', '/')]) };

export default defineConfig({
  plugins: [react(), bundledFirmwarePlugin(fileURLToPath(new URL('./public', import.meta.url))), firmwareSourcesPlugin(fileURLToPath(new URL('./firmware', import.meta.url)))],
  server: { headers: devHeaders, port: 5173 },
  preview: { headers: STATIC_HOST_HEADERS, port: 4173 },
  worker: { format: 'es' },
  // Relative asset URLs: the production build works from any folder of any static web server
  // (a class's page at https://school.example/boardlab/), not only from a host's root.
  base: './',
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
});
