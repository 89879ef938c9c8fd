// Run / Pause / Reset, the run-state indicator and the live instruction figures.
import { WorkerRunState } from '../../workers/control.ts';
import { pause, reset, run, setPacing, step } from '../run-session.ts';
import { useBoardLab } from '../store.ts';
import { runStateDetails, runStateText } from '../guest-status.ts';
import { TierChoice } from './TierChoice.tsx';

function formatIps(ips: number): string {
  if (ips >= 1e9) return `${(ips / 1e9).toFixed(2)} GIPS`;
  if (ips >= 1e6) return `${(ips / 1e6).toFixed(1)} MIPS`;
  if (ips >= 1e3) return `${(ips / 1e3).toFixed(1)} kIPS`;
  return `${ips} IPS`;
}

const stateClass: Record<number, string> = {
  [WorkerRunState.EMPTY]: 'empty',
  [WorkerRunState.PAUSED]: 'paused',
  [WorkerRunState.RUNNING]: 'running',
  [WorkerRunState.IDLE]: 'idle',
  [WorkerRunState.HALTED_PASS]: 'pass',
  [WorkerRunState.HALTED_FAIL]: 'fail',
  [WorkerRunState.CRASHED]: 'fail',
  [WorkerRunState.STOPPED]: 'paused',
  [WorkerRunState.NO_FIRMWARE]: 'fail',
  [WorkerRunState.FAULTED]: 'fail',
};

const NO_HARTS: never[] = [];

export function RunControls() {
  const stats = useBoardLab((s) => s.run);
  const hasBoard = useBoardLab((s) => s.board !== null);
  const pacing = useBoardLab((s) => s.pacing);
  const harts = useBoardLab((s) => s.machine?.harts ?? NO_HARTS);
  // A locked-up core is a fault, whatever the worker's state says (it pauses, or idles on other cores).
  const lockedUp = harts.some((h) => h.status === 'locked-up');
  const running = stats.state === WorkerRunState.RUNNING || stats.state === WorkerRunState.IDLE;
  // Halted, crashed or stopped; and with no firmware on any CPU there is nothing to run or step.
  const halted = (stats.state >= WorkerRunState.HALTED_PASS && stats.state <= WorkerRunState.STOPPED) || stats.state === WorkerRunState.NO_FIRMWARE;
  return (
    <div className="run-controls">
      <button type="button" className="primary" onClick={run} disabled={!hasBoard || running || halted} data-testid="run">
        <span aria-hidden="true">▶</span> Run
      </button>
      <button type="button" onClick={pause} disabled={!hasBoard || !running} data-testid="pause">
        <span aria-hidden="true">❚❚</span> Pause
      </button>
      <button type="button" onClick={step} disabled={!hasBoard || halted} data-testid="step" title="Pause and run one instruction">
        <span aria-hidden="true">⤼</span> Step
      </button>
      <button type="button" onClick={reset} disabled={!hasBoard} data-testid="reset">
        <span aria-hidden="true">↺</span> Reset
      </button>
      <label className="pacing" title="Real-time pacing: virtual time follows the wall clock, so a sleeping guest waits in real time">
        <input type="checkbox" checked={pacing} onChange={(event) => setPacing(event.target.checked)} data-testid="pacing" /> real time
      </label>
      <span className={`run-state run-state--${lockedUp ? 'fail' : (stateClass[stats.state] ?? 'empty')}`} data-testid="run-state" data-state={stats.state} title={runStateDetails(stats.state, harts)}>
        {runStateText(stats.state, stats.exitCode, harts)}
      </span>
      <span className="figure" title="Instructions retired since build or reset">
        <span className="figure__label">instructions</span>
        <span className="figure__value" data-testid="instructions">
          {stats.instructions.toLocaleString('en-US')}
        </span>
      </span>
      <span className="figure" title="Instructions per second">
        <span className="figure__label">speed</span>
        <span className="figure__value" data-testid="ips" data-ips={stats.ips}>
          {stats.state === WorkerRunState.IDLE ? 'idle' : running ? formatIps(stats.ips) : '—'}
        </span>
      </span>
      <TierChoice />
    </div>
  );
}
