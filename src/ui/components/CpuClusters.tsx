// What a heterogeneous board's views add over the graph: a legend of the architectures' colours
// (Composition, Memory map, IRQ wiring), and in the Memory map a choice of whose view of memory to
// show — every address space, or the one a CPU sees.
import type { ResolvedBoard } from '../../graph/index.ts';
import { cpuClusters, isHeterogeneous, relative } from '../views.ts';

export function ArchitectureLegend({ board, cpuSpaces }: { board: ResolvedBoard; cpuSpaces: ReadonlyMap<string, string> }) {
  const clusters = cpuClusters(board, cpuSpaces);
  if (!isHeterogeneous(clusters)) return null;
  const architectures = [...new Map(clusters.map((c) => [c.architecture.slug, c.architecture.name])).entries()];
  return (
    <div className="arch-legend" data-testid="architecture-legend" aria-label="CPU architectures">
      {architectures.map(([slug, name]) => (
        <span className={`arch-legend__item arch--${slug}`} key={slug} data-testid={`legend-${slug}`}>
          <span className="arch-legend__swatch" aria-hidden="true" />
          {name}
        </span>
      ))}
    </div>
  );
}

/** The Memory map's selector: "" for every address space, else one space (a CPU's view); null on a board whose CPUs all see memory alike. */
export function MemoryViewChoice(props: { board: ResolvedBoard; cpuSpaces: ReadonlyMap<string, string>; space: string; onChange: (space: string) => void }) {
  const { board, cpuSpaces, space, onChange } = props;
  const clusters = cpuClusters(board, cpuSpaces);
  if (!isHeterogeneous(clusters)) return null;
  return (
    <label className="memory-view-choice">
      Memory seen by{' '}
      <select className="inspector__input" value={space} onChange={(event) => onChange(event.target.value)} data-testid="memory-view-cpu">
        <option value="">every CPU (all address spaces)</option>
        {clusters.flatMap((cluster) =>
          cluster.cpus.map((cpu) => (
            <option value={cluster.space} key={cpu}>
              {relative(cpu)} ({cluster.architecture.name}, address space {cluster.space})
            </option>
          )),
        )}
      </select>
    </label>
  );
}
