import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { bundledFirmwarePlugin } from './scripts/lib/bundled-firmware.ts';
import { firmwareSourcesPlugin } from './scripts/lib/firmware-sources.ts';

// SharedArrayBuffer (guest RAM, control words) needs a cross-origin-isolated page.
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), bundledFirmwarePlugin(fileURLToPath(new URL('./public', import.meta.url))), firmwareSourcesPlugin(fileURLToPath(new URL('./firmware', import.meta.url)))],
  server: { headers: crossOriginIsolation, port: 5173 },
  preview: { headers: crossOriginIsolation, port: 4173 },
  worker: { format: 'es' },
  // Relative asset URLs: the production build works from any folder of any static web server
  // (a class's page at https://school.example/boardlab/), not only from a host's root.
  base: './',
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
});
