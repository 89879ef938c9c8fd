import { describe, expect, it } from 'vitest';
import { catalogModules } from '../graph/index.ts';
import { moduleLoaders, probeModules } from './modules.ts';

describe('engine modules', () => {
  it('every module the catalog names loads', async () => {
    const statuses = await probeModules(catalogModules().keys());
    for (const [name, status] of statuses) expect(status, name).toEqual({ available: true });
  });

  it('reports a module that fails to load or does not exist, without throwing', async () => {
    const statuses = await probeModules(['engine/devices/broken', 'engine/devices/ram', 'engine/nowhere'], {
      ...moduleLoaders,
      'engine/devices/broken': () => Promise.reject(new Error('chunk load failed')),
    });
    expect(statuses.get('engine/devices/broken')).toEqual({ available: false, reason: 'module engine/devices/broken failed to load: chunk load failed' });
    expect(statuses.get('engine/devices/ram')).toEqual({ available: true });
    expect(statuses.get('engine/nowhere')).toEqual({ available: false, reason: 'no engine module named "engine/nowhere" in this build' });
  });
});
