// The CPU inspector's "Image" field: the firmware the board's document names for this CPU, chosen
// from the project's bundled firmware by name or from the files the user opened for the board, or a
// new file of the user's (stored with the board). It shows what the CPU runs now, and the problems
// of its image entry (a file that is missing, does not parse or does not fit) where they belong.
import { useRef, type ChangeEvent } from 'react';
import { cpuImageFile } from '../board-firmware.ts';
import { cpuArchitecture } from '../../graph/index.ts';
import { bundledFirmwareFor } from '../bundled-firmware.ts';
import { chooseFirmware, chooseSource, openFirmware } from '../designer.ts';
import { sourceNames } from '../board-sources.ts';
import { useDesignBoard, useDesignDocument } from '../draft.ts';
import { useBoardLab } from '../store.ts';
import { relative } from '../views.ts';

const NONE = '';
const SOURCE_PREFIX = 'source:';

export function FirmwareField({ cpu }: { cpu: string }) {
  const design = useDesignBoard();
  const running = useBoardLab((s) => s.board);
  const report = useBoardLab((s) => s.problems);
  const storedFiles = useBoardLab((s) => s.storedFiles);
  const picker = useRef<HTMLInputElement>(null);
  const document = useDesignDocument();
  // The document's own entry for this CPU; else an image it inherits (from a machine type it extends).
  // A source of the board's as the image: offered, and chosen, as "source:<name>".
  const sources = sourceNames(document);
  const sourceImage = design.resolved?.images.find((image) => image.cpu === cpu && image.source !== undefined)?.source?.name;
  const file = sourceImage !== undefined ? `${SOURCE_PREFIX}${sourceImage}` : ((document ? cpuImageFile(document, cpu) : undefined) ?? design.resolved?.images.find((image) => image.cpu === cpu)?.file);
  const runs = running?.resolved.images.find((image) => image.cpu === cpu)?.file;
  const entryIndex = (document?.images ?? []).findIndex((image) => (image?.source !== undefined ? `${SOURCE_PREFIX}${image.source}` : image?.file) === file);
  const entryPointer = entryIndex < 0 ? undefined : `/images/${entryIndex}`;
  const problems = report?.text !== undefined && entryPointer !== undefined ? report.problems.filter((p) => p.pointer === entryPointer || p.pointer.startsWith(`${entryPointer}/`)) : [];
  // Only the bundled firmware this CPU's architecture runs (an mps2-an385 board is offered the ARM builds).
  const cpuType = design.resolved?.objects.find((object) => object.path === cpu)?.type;
  const offered = bundledFirmwareFor(cpuType === undefined ? undefined : cpuArchitecture(cpuType)?.name);
  const known = file === undefined || offered.some((f) => f.file === file) || storedFiles.includes(file) || (file.startsWith(SOURCE_PREFIX) && sources.includes(file.slice(SOURCE_PREFIX.length)));

  const choose = (event: ChangeEvent<HTMLSelectElement>) => {
    const value = event.target.value;
    if (value.startsWith(SOURCE_PREFIX)) void chooseSource(cpu, value.slice(SOURCE_PREFIX.length));
    else void chooseFirmware(cpu, value === NONE ? undefined : value);
  };
  const picked = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    event.target.value = ''; // the same file again still fires
    if (chosen) void chosen.arrayBuffer().then((bytes) => openFirmware(new Uint8Array(bytes), chosen.name, cpu));
  };

  return (
    <div className="inspector__section" data-testid="firmware-field">
      <div className="inspector__heading">Firmware</div>
      <div className={`inspector__prop ${problems.length > 0 ? 'inspector__prop--invalid' : ''}`}>
        <label className="inspector__label" htmlFor="inspector-image" title={`The program ${relative(cpu)} runs: loaded at start and at every reset`}>
          Image
        </label>
        <div className="inspector__control">
          <select id="inspector-image" value={file ?? NONE} onChange={choose} data-testid="image-select" aria-invalid={problems.length > 0 || undefined}>
            <option value={NONE}>(none)</option>
            {!known && file !== undefined && <option value={file}>{file}</option>}
            {sources.length > 0 && (
              <optgroup label="Sources in the board (assembled)">
                {sources.map((name) => (
                  <option key={name} value={`${SOURCE_PREFIX}${name}`}>
                    {name}
                  </option>
                ))}
              </optgroup>
            )}
            {storedFiles.length > 0 && (
              <optgroup label="Your files, stored with the board">
                {storedFiles.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </optgroup>
            )}
            <optgroup label="Bundled firmware">
              {offered.map((firmware) => (
                <option key={firmware.file} value={firmware.file}>
                  {firmware.name}
                </option>
              ))}
            </optgroup>
          </select>
          <button type="button" className="small" onClick={() => picker.current?.click()} data-testid="image-open-file" title="Open a firmware file of yours (an ELF); it is stored with the board">
            Open file…
          </button>
          <input ref={picker} type="file" accept=".elf,.hex,.ihex,application/x-elf,application/octet-stream" hidden onChange={picked} data-testid="image-file" />
        </div>
        <div className="inspector__meta" data-testid="image-runs">
          {runs !== undefined ? `runs ${runs}` : file !== undefined ? 'not running yet' : `${relative(cpu)} has no firmware: pick one to run`}
        </div>
        {problems.map((p, i) => (
          <div className="inspector__error" key={i} data-testid="image-problem" role="alert">
            {p.message}
            {p.hint && <div className="inspector__hint">{p.hint}</div>}
          </div>
        ))}
      </div>
    </div>
  );
}
