// The lesson format, version 1: a title, Markdown steps, a starting board, and for each step checks
// that BoardLab evaluates (./lesson-checks.ts) and hints. One TypeBox source gives the TypeScript
// types and the JSON Schema published as public/schema/lesson.schema.json (scripts/write-schema.ts).
//
// How a check names objects the student creates: by TYPE, never by a name the student chooses. An
// object reference is a type or interface name ("ns16550a", "plic", "cpu") matching every object of
// that type or a subtype, or a canonical path starting with "/" ("/machine/cpu0") for an object the
// starting board already has. Ports follow as in the board language: "ns16550a.irq", "plic.in[10]",
// "ns16550a.regs". A check passes when ANY object matching the reference satisfies it, so a student
// may call the UART uart0, console or anything else.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { ErrorObject, ValidateFunction } from 'ajv';
// Compiled ahead of time (scripts/write-validators.ts): the page's CSP refuses Ajv's run-time `new Function`.
import * as generated from './validators/lesson.js';
import type { BoardDocument } from './schema.ts';
import type { BoardProblem } from './problems.ts';
import { pointerOf } from './problems.ts';
import { parseInteger } from './values.ts';
import { resolveBoard } from './resolve.ts';

/** The lesson format this BoardLab writes and reads. Older versions are upgraded by LESSON_UPGRADES. */
export const LESSON_FORMAT = 1;

const Message = Type.String({ minLength: 1, description: 'What the student sees beside the check: what it asks for, in words ("The UART\'s interrupt is wired to PLIC line 10").' });

const ObjectRef = Type.String({
  minLength: 1,
  pattern: '^(/[a-z0-9_/-]*|[a-z][a-z0-9_-]*)$',
  description: 'An object: a type or interface name ("ns16550a", "cpu": any object of that type or a subtype, whatever the student named it), or a canonical path ("/machine/cpu0") for an object of the starting board.',
});

const PortRef = Type.String({
  minLength: 1,
  pattern: '^(/[a-z0-9_/-]*|[a-z][a-z0-9_-]*)\\.[a-z][a-z0-9_-]*(\\[[0-9]+\\])?$',
  description: 'A port of an object: "<type or path>.<port>" or "<type or path>.<port>[line]", e.g. "ns16550a.irq", "plic.in[10]", "/machine/cpu0.meip".',
});

const Address = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^(0x[0-9a-fA-F]+|[0-9]+)$' })], { description: 'An address: a number or "0x10000000".' });

const ObjectCheck = Type.Object(
  {
    kind: Type.Literal('object', { description: 'The board has an object of a type (or several).' }),
    type: Type.String({ minLength: 1, pattern: '^[a-z][a-z0-9_-]*$', description: 'A type or interface name; subtypes count.' }),
    count: Type.Optional(Type.Integer({ minimum: 1, description: 'At least this many (default 1).' })),
    message: Message,
  },
  { additionalProperties: false },
);

const PropertyCheck = Type.Object(
  {
    kind: Type.Literal('property', { description: 'A property of an object has a value (its effective value, defaults included).' }),
    object: ObjectRef,
    property: Type.String({ minLength: 1 }),
    equals: Type.Union([Type.Integer(), Type.String(), Type.Boolean()], { description: 'The value; numbers may be written as the board language writes them ("0x1000", "16M").' }),
    message: Message,
  },
  { additionalProperties: false },
);

const IrqCheck = Type.Object(
  {
    kind: Type.Literal('irq', { description: 'An IRQ wire exists from an output to an input (matched on the resolved wiring, so ranges and composite ports count).' }),
    from: PortRef,
    to: PortRef,
    message: Message,
  },
  { additionalProperties: false },
);

const MappedCheck = Type.Object(
  {
    kind: Type.Literal('mapped', { description: 'A region is mapped in an address space, at an address or anywhere.' }),
    region: PortRef,
    at: Type.Optional(Address),
    space: Type.Optional(Type.String({ minLength: 1, description: 'The address space (default: any).' })),
    message: Message,
  },
  { additionalProperties: false },
);

const UartCheck = Type.Object(
  {
    kind: Type.Literal('uart', { description: 'A UART transmitted text (during the run).' }),
    text: Type.Optional(Type.String({ minLength: 1, description: 'The output contains this text.' })),
    pattern: Type.Optional(Type.String({ minLength: 1, description: 'The output matches this regular expression (JavaScript syntax).' })),
    uart: Type.Optional(ObjectRef),
    message: Message,
  },
  { additionalProperties: false },
);

const LedCheck = Type.Object(
  {
    kind: Type.Literal('led', { description: 'An LED was lit, or toggled (lit and dark again), during the run.' }),
    state: Type.Union([Type.Literal('on'), Type.Literal('toggled')]),
    led: Type.Optional(ObjectRef),
    message: Message,
  },
  { additionalProperties: false },
);

const TrapCheck = Type.Object(
  {
    kind: Type.Literal('trap', { description: 'A CPU took a trap or interrupt with this cause during the run.' }),
    cause: Type.String({ minLength: 1, description: 'The cause as the CPU names it: "machine timer interrupt", "environment call from U-mode", "machine software interrupt", "illegal instruction".' }),
    cpu: Type.Optional(ObjectRef),
    message: Message,
  },
  { additionalProperties: false },
);

const RegisterCheck = Type.Object(
  {
    kind: Type.Literal('register', { description: 'A register holds a value when the pc reaches a symbol of the CPU\'s firmware.' }),
    register: Type.String({ minLength: 1, description: 'A register name as the debugger shows it ("a0", "x10", "sp", "r0").' }),
    equals: Type.Union([Type.Integer(), Type.String({ pattern: '^-?(0x[0-9a-fA-F]+|[0-9]+)$' })]),
    at: Type.String({ minLength: 1, description: 'A symbol (label) of the firmware: the check looks each time the pc gets there.' }),
    cpu: Type.Optional(ObjectRef),
    message: Message,
  },
  { additionalProperties: false },
);

const ExitCheck = Type.Object(
  {
    kind: Type.Literal('exit', { description: 'The guest stopped the board through the finisher, with a code.' }),
    code: Type.Optional(Type.Integer({ minimum: 0, description: 'The exit code: 0 (default) is a pass (the finisher\'s 0x5555).' })),
    message: Message,
  },
  { additionalProperties: false },
);

/** Each kind of check's schema (by kind), for the validators generated ahead of time (scripts/lib/standalone-validators.ts). */
export const LESSON_CHECK_SCHEMAS = { object: ObjectCheck, property: PropertyCheck, irq: IrqCheck, mapped: MappedCheck, uart: UartCheck, led: LedCheck, trap: TrapCheck, register: RegisterCheck, exit: ExitCheck } as const;
const CheckSchema = Type.Union(Object.values(LESSON_CHECK_SCHEMAS));

/** A step; `check` is the schema of one check (the published union, or a shape checked kind by kind). */
function stepSchema<C extends TSchema>(check: C) {
  return Type.Object(
    {
      title: Type.String({ minLength: 1 }),
      text: Type.String({ description: 'What to do, in Markdown (paragraphs, **bold**, *italic*, `code`, lists, fenced code, [links](https://…)).' }),
      checks: Type.Array(check, { description: 'What BoardLab checks for this step: board checks on every edit, run checks as the guest runs.' }),
      hints: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Hints the student reveals one at a time (Markdown).' })),
    },
    { additionalProperties: false },
  );
}
const StepSchema = stepSchema(CheckSchema);

function lessonSchema<S extends TSchema>(step: S, options: { $id?: string; title?: string }) {
  return Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    lessonFormat: Type.Literal(LESSON_FORMAT, { description: 'Lesson format version.' }),
    title: Type.String({ minLength: 1 }),
    summary: Type.Optional(Type.String({ description: 'One or two sentences for the gallery.' })),
    board: Type.Unsafe<BoardDocument>(Type.Object({}, { description: 'The starting board: a board document (board.schema.json), with its images and sources.' })),
    maxInstructions: Type.Optional(Type.Integer({ minimum: 1, description: 'How long a headless check runs the board at most (default 50,000,000 instructions).' })),
    input: Type.Optional(Type.String({ description: 'What a headless check (boardlab lesson check) types into the board\'s first UART while it runs, as the student types it in the terminal ("hello\rq").' })),
    steps: Type.Array(step, { minItems: 1 }),
  },
  { additionalProperties: false, ...options },
  );
}

export const LessonDocumentSchema = lessonSchema(StepSchema, { $id: 'https://boardlab.dev/schema/lesson-1.json', title: 'BoardLab lesson' });
/** For validation: the lesson with checks of any kind, each then checked against its own kind's schema (so a bad check gets its own kind's complaint, not nine). */
export const LessonShapeSchema = lessonSchema(stepSchema(Type.Object({ kind: Type.String() })), {});

export type LessonDocument = Static<typeof LessonDocumentSchema>;
export type LessonCheck = Static<typeof CheckSchema>;

/**
 * Upgrades from older lesson formats, by the version they read. Format 1 is the first: none yet.
 * When format 2 comes, its entry here turns a format-1 lesson into a format-2 one, so old links load.
 */
const LESSON_UPGRADES: ReadonlyMap<number, (lesson: Record<string, unknown>) => Record<string, unknown>> = new Map();

export type LessonResult = { ok: true; lesson: LessonDocument } | { ok: false; problems: BoardProblem[] };

type Validator = ValidateFunction;
let validators: { lesson: Validator; checks: Map<string, Validator> } | undefined;

function lessonValidators(): { lesson: Validator; checks: Map<string, Validator> } {
  if (validators) return validators;
  const byName: Record<string, Validator | undefined> = generated;
  const checks = new Map<string, Validator>();
  for (const kind of Object.keys(LESSON_CHECK_SCHEMAS)) {
    const validate = byName[`validate_${kind}`];
    if (validate === undefined) throw new Error(`src/graph/validators/lesson.js has no validator for "${kind}" checks: run npx tsx scripts/write-validators.ts`);
    checks.set(kind, validate);
  }
  validators = { lesson: generated.validateLessonShape, checks };
  return validators;
}

/** A lesson document (parsed JSON) checked, upgraded from an older format when one can be; never throws. */
export function readLesson(document: unknown): LessonResult {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    return fail('', 'a lesson is a JSON object', 'A lesson starts {"lessonFormat": 1, "title": …, "board": {…}, "steps": [...]}.');
  }
  let lesson = document as Record<string, unknown>;
  const version = lesson.lessonFormat;
  if (version === undefined) {
    const isBoard = 'boardlab' in lesson;
    return fail('/lessonFormat', isBoard ? 'this is a board, not a lesson (it has "boardlab" and no "lessonFormat")' : 'not a lesson: "lessonFormat" is missing', isBoard ? 'Open a board with Open board…; a lesson holds its starting board under "board".' : `A lesson declares its format: "lessonFormat": ${LESSON_FORMAT}.`);
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return fail('/lessonFormat', `lesson format ${JSON.stringify(version)} does not exist`, `Lesson formats are whole numbers from 1; this BoardLab reads 1 to ${LESSON_FORMAT}.`);
  }
  if (version > LESSON_FORMAT) {
    return fail('/lessonFormat', `this lesson is in format ${version}, newer than this BoardLab reads (${LESSON_FORMAT})`, 'Open it in a newer BoardLab, or ask its author for a copy in an older format.');
  }
  for (let v = version; v < LESSON_FORMAT; v++) {
    const upgrade = LESSON_UPGRADES.get(v);
    if (upgrade === undefined) return fail('/lessonFormat', `lesson format ${v} can no longer be loaded`, `Save the lesson again in format ${LESSON_FORMAT}.`);
    lesson = { ...upgrade(lesson), lessonFormat: v + 1 };
  }
  const { lesson: validate, checks } = lessonValidators();
  if (!validate(lesson)) return { ok: false, problems: lessonSchemaProblems(validate.errors ?? [], '') };
  const problems: BoardProblem[] = [];
  (lesson.steps as Array<{ checks: Array<{ kind: string }> }>).forEach((step, s) =>
    step.checks.forEach((check, c) => {
      const pointer = pointerOf('steps', s, 'checks', c);
      const validateCheck = checks.get(check.kind);
      if (validateCheck === undefined) problems.push({ pointer: pointer + '/kind', message: `unknown check kind "${check.kind}"`, hint: KIND_HINT });
      else if (!validateCheck(check)) problems.push(...lessonSchemaProblems(validateCheck.errors ?? [], pointer));
    }),
  );
  if (problems.length === 0) problems.push(...checkProblems(lesson as LessonDocument));
  if (problems.length === 0) {
    const board = resolveBoard(lesson.board);
    if (!board.ok) problems.push(...board.problems.map((p) => ({ ...p, pointer: '/board' + p.pointer, message: `the starting board: ${p.message}` })));
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, lesson: lesson as LessonDocument };
}

/** Parse a lesson's JSON text; syntax errors say where. */
export function parseLesson(text: string): LessonResult {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return fail('', `the lesson is not valid JSON (${error instanceof Error ? error.message : String(error)})`, 'Check for a missing comma, an unquoted key or a trailing comma.');
  }
  return readLesson(document);
}

function fail(pointer: string, message: string, hint: string): LessonResult {
  return { ok: false, problems: [{ pointer, message, hint }] };
}

const KIND_HINT = 'A check\'s "kind" is one of: object, property, irq, mapped (on the board), uart, led, trap, register, exit (on the run).';

/** Ajv's errors as problems, one per place (`base`: where the validated value sits in the lesson). */
function lessonSchemaProblems(errors: ErrorObject[], base: string): BoardProblem[] {
  const byPointer = new Map<string, BoardProblem>();
  for (const e of errors) {
    let pointer = base + e.instancePath;
    let message: string;
    let hint: string;
    if (e.keyword === 'additionalProperties') {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      pointer += pointerOf(key);
      message = `unknown member "${key}"`;
      hint = `Remove "${key}" or check its spelling.`;
    } else if (e.keyword === 'required') {
      const key = String((e.params as { missingProperty: string }).missingProperty);
      message = `"${key}" is missing`;
      hint = key === 'message' ? 'Every check has a message the student sees.' : `Add "${key}".`;
    } else if (e.keyword === 'pattern' && /\/(from|to|region)$/.test(pointer)) {
      message = 'not a port reference';
      hint = 'Write "<type or /path>.<port>" or "<type or /path>.<port>[line]", e.g. "ns16550a.irq" or "plic.in[10]".';
    } else if (e.keyword === 'pattern' && /\/(object|uart|led|cpu)$/.test(pointer)) {
      message = 'not an object reference';
      hint = 'Write a type name ("ns16550a") or a canonical path starting with "/" ("/machine/cpu0").';
    } else {
      message = e.message ?? 'invalid';
      hint = 'See public/schema/lesson.schema.json.';
    }
    const key = `${pointer}\n${message}`;
    if (!byPointer.has(key)) byPointer.set(key, { pointer, message, hint });
  }
  return [...byPointer.values()];
}

/** What the schema cannot say: a UART check needs text or a pattern, patterns compile, numbers parse. */
function checkProblems(lesson: LessonDocument): BoardProblem[] {
  const problems: BoardProblem[] = [];
  lesson.steps.forEach((step, s) =>
    step.checks.forEach((check, c) => {
      const at = (...tokens: string[]) => pointerOf('steps', s, 'checks', c, ...tokens);
      if (check.kind === 'uart') {
        if (check.text === undefined && check.pattern === undefined) problems.push({ pointer: at(), message: 'a uart check needs "text" or "pattern"', hint: 'Say what the UART should print: "text": "Hello".' });
        if (check.pattern !== undefined) {
          try {
            new RegExp(check.pattern);
          } catch (error) {
            problems.push({ pointer: at('pattern'), message: `not a regular expression: ${error instanceof Error ? error.message : String(error)}`, hint: 'Patterns use JavaScript\'s RegExp syntax.' });
          }
        }
      }
      if (check.kind === 'mapped' && check.at !== undefined && parseInteger(check.at) === undefined) problems.push({ pointer: at('at'), message: 'not an address', hint: 'Write a number or "0x…".' });
    }),
  );
  return problems;
}
