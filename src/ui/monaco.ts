// Monaco, bundled locally (never from a CDN): the core editor API, the editor features, the JSON
// language with the board schema, and its web workers built by Vite.
import * as monaco from 'monaco-editor/editor';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';
// Every editor feature (find, folding, hover, suggest, …) without the ~80 other languages.
import 'monaco-editor/features/register.all';
import { editorBoardSchema } from '../graph/index.ts';

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return label === 'json' ? new JsonWorker() : new EditorWorker();
  },
};

/**
 * Board models live at inmemory://boardlab/examples/…, so the examples' own
 * "$schema": "../public/schema/board.schema.json" resolves to this URI, which is served from
 * memory: no schema is ever fetched.
 */
export const BOARD_MODEL_FOLDER = 'inmemory://boardlab/examples/';
const BOARD_SCHEMA_URI = 'inmemory://boardlab/public/schema/board.schema.json';

jsonDefaults.setDiagnosticsOptions({
  validate: true,
  allowComments: false,
  enableSchemaRequest: false,
  // A "$schema" that points anywhere else is not fetched, and not complained about either.
  schemaRequest: 'ignore',
  schemas: [
    {
      uri: BOARD_SCHEMA_URI,
      fileMatch: ['*.board.json'],
      // The published schema plus the catalog's types and their properties, for completion and hover.
      schema: editorBoardSchema(),
    },
  ],
});

monaco.editor.defineTheme('boardlab-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#0f141b',
    'editor.lineHighlightBackground': '#161d27',
    'editorGutter.background': '#0f141b',
  },
});

export { monaco };
