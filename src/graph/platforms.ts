// Platforms: named, versioned sets of host-dependent defaults and the features a host can provide.
// They are the lowest property layer. A board that needs a feature its platform lacks is rejected,
// naming both — never silently downgraded.
import type { PropertyValueDocument } from './schema.ts';

export interface PlatformSpec {
  readonly name: string;
  readonly version: string;
  readonly doc: string;
  readonly features: readonly string[];
  /** type → property → default on this platform (applies to subtypes). */
  readonly defaults: Readonly<Record<string, Readonly<Record<string, PropertyValueDocument>>>>;
}

/** Every feature a platform may provide, with what it means. */
export const FEATURES: Readonly<Record<string, string>> = {
  'shared-memory': 'SharedArrayBuffer, for guest RAM other threads can read (a browser page needs cross-origin isolation)',
  'real-time': 'pacing virtual time to the host clock',
  'host-serial': 'UART connected to the host\'s stdin/stdout',
  'gdb-stub': 'a GDB remote-protocol server on a TCP port',
  'qmp-socket': 'a QMP monitor on a Unix or TCP socket',
  'display': 'a framebuffer shown on screen',
};

const platforms: PlatformSpec[] = [
  {
    name: 'node',
    version: '1',
    doc: 'Headless in Node.js: the CLI, scripts, CI, QMP and GDB servers.',
    features: ['shared-memory', 'real-time', 'host-serial', 'gdb-stub', 'qmp-socket'],
    defaults: {},
  },
  {
    name: 'browser',
    version: '1',
    doc: 'A cross-origin-isolated browser tab: the emulator runs in a Web Worker and the UI reads guest RAM live.',
    features: ['shared-memory', 'real-time', 'display'],
    defaults: { ram: { shared: true } },
  },
  {
    name: 'browser-basic',
    version: '1',
    doc: 'A browser tab without cross-origin isolation: no SharedArrayBuffer, so the UI cannot read guest RAM live.',
    features: ['real-time', 'display'],
    defaults: {},
  },
];

export function listPlatforms(): readonly PlatformSpec[] {
  return platforms;
}

export function platformId(spec: PlatformSpec): string {
  return `${spec.name}@${spec.version}`;
}

/** "browser@1", or "browser" for the latest version. */
export function findPlatform(reference: string): PlatformSpec | undefined {
  const [name, version] = reference.split('@');
  const candidates = platforms.filter((p) => p.name === name);
  if (version !== undefined) return candidates.find((p) => p.version === version);
  return candidates[candidates.length - 1];
}

export const DEFAULT_PLATFORM = 'node@1';
