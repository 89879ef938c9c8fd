// The run panel's execution tier (issue #16 point 4): a choice between the interpreter and code
// compiled to WebAssembly, and which tier each CPU really runs on — beside the instructions per
// second, so a user sees what the tier changes. A core that cannot compile says why.
import { useEffect, useState } from 'react';
import { chooseTier, readTiers } from '../run-session.ts';
import { useBoardLab } from '../store.ts';
import { parseTier } from '../../workers/tiers.ts';
import type { CpuTier, TierReport } from '../../workers/emulator.worker.ts';

/** How often the panel asks the worker what each CPU runs on (the compiled count grows while it runs). */
const REFRESH_MS = 500;

const STATE_TEXT: Record<CpuTier['state'], string> = {
  'interpreter-only': 'interpreter only',
  unavailable: 'interpreter',
  interpreter: 'interpreter',
  compiled: 'WebAssembly',
};

function cpuName(path: string): string {
  return path.replace(/^\/machine\//, '');
}

/** What a CPU runs on, in a few words (the compiled units once there are some). */
function cpuText(cpu: CpuTier): string {
  const compiled = cpu.state === 'compiled' && cpu.stats !== undefined && cpu.stats.compiled > 0 ? ` (${cpu.stats.compiled} compiled)` : '';
  return `${STATE_TEXT[cpu.state]}${compiled}`;
}

function cpuTitle(cpu: CpuTier): string {
  switch (cpu.state) {
    case 'interpreter-only':
      return 'This core has no compiling tier: every instruction runs in the interpreter, whichever tier is chosen.';
    case 'unavailable':
      return `The compiling tier cannot run here: ${cpu.reason ?? 'no reason given'}. Every instruction runs in the interpreter.`;
    case 'interpreter':
      return 'Every instruction runs in the interpreter.';
    case 'compiled': {
      const stats = cpu.stats;
      return stats === undefined
        ? 'Hot code runs compiled to WebAssembly; the rest in the interpreter.'
        : `Hot code runs compiled to WebAssembly; the rest in the interpreter. ${stats.compiled} units compiled (${stats.dropped} dropped) in ${stats.compileMs.toFixed(1)} ms, ${stats.cachedBytes.toLocaleString('en-US')} bytes of code cached; ${stats.compiledInstructions.toLocaleString('en-US')} instructions ran compiled.`;
    }
  }
}

export function TierChoice() {
  const [report, setReport] = useState<TierReport | null>(null);
  // A new board (another session) gets its own CPUs: ask again at once.
  const session = useBoardLab((s) => s.board?.text);
  useEffect(() => {
    let live = true;
    const refresh = () =>
      void readTiers()
        .then((next) => live && next !== null && setReport(next))
        .catch(() => undefined);
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [session]);

  const cpus = report?.cpus ?? [];
  const cannot = cpus.filter((cpu) => cpu.state === 'unavailable' || cpu.state === 'interpreter-only');
  return (
    <>
      <label className="tier-choice" title="Which tier runs the guest's code: both retire exactly the same instructions">
        <span className="figure__label">tier</span>
        <select
          value={report?.tier ?? 'jit'}
          disabled={report === null}
          onChange={(event) => {
            const tier = parseTier(event.target.value);
            if (tier !== undefined) void chooseTier(tier).then((next) => next !== null && setReport(next));
          }}
          aria-label="Execution tier"
          data-testid="tier-select"
        >
          <option value="interp">Interpreter</option>
          <option value="jit">Compiled to WebAssembly</option>
        </select>
      </label>
      <span className="figure tier-cpus" data-testid="tier-cpus" data-webassembly={report?.webAssembly.state}>
        <span className="figure__label">runs on</span>
        <span className="figure__value">
          {cpus.length === 0
            ? '—'
            : cpus.map((cpu, index) => (
                <span key={cpu.path} className={`tier-cpu tier-cpu--${cpu.state}`} title={cpuTitle(cpu)} data-testid={`tier-cpu-${cpuName(cpu.path)}`} data-state={cpu.state} data-compiled={cpu.stats?.compiled ?? 0}>
                  {index > 0 ? ' · ' : ''}
                  {cpus.length > 1 ? `${cpuName(cpu.path)} ` : ''}
                  {cpuText(cpu)}
                </span>
              ))}
        </span>
      </span>
      {report?.tier === 'jit' && (cannot.length > 0 || report.webAssembly.state !== 'available') && (
        <p className="tier-note" data-testid="tier-note">
          {[
            ...(report.webAssembly.state === 'available' ? [] : [`WebAssembly ${report.webAssembly.state === 'missing' ? 'is missing' : 'is refused'}: ${report.webAssembly.reason ?? ''}`]),
            ...cannot.map((cpu) => `${cpuName(cpu.path)} runs on the interpreter: ${cpu.state === 'unavailable' ? (cpu.reason ?? 'it cannot compile here') : 'its core has no compiling tier yet'}`),
          ].join('; ')}
        </p>
      )}
    </>
  );
}
