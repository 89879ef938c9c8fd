// The board document format, version 1. One TypeBox source gives both the TypeScript types and the
// JSON Schema (published for the editor as public/schema/board.schema.json by scripts/write-schema.ts).
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** An object name: what appears in canonical paths (/machine/soc/uart0). Templates may add ${expr}. */
export const NAME_PATTERN = '^([a-z]|\\$\\{)([a-z0-9_-]|\\$\\{[^}]*\\})*$';
export const PLAIN_NAME = /^[a-z][a-z0-9_-]*$/;

const IntegerOrExpression = Type.Union([Type.Integer(), Type.String()], {
  description: 'A number, or a string: "0x80000000", "128M", or an expression with ${...} such as "0x10000000 + ${i} * 0x1000".',
});

const PropertyValueSchema = Type.Union([Type.Integer(), Type.String(), Type.Boolean(), Type.Null()], {
  description: 'A property value. Integers may be strings: "0x1000", "16M", "10 MHz", "${harts}". null clears a link.',
});

const Repeat = Type.Union([Type.Integer({ minimum: 0 }), Type.String()], {
  description: 'Make this many copies (a number or an expression over parameters); ${i} is the copy index in names, addresses and ports.',
});

const Props = Type.Record(Type.String(), PropertyValueSchema, { description: 'Property values; unset properties take their layered defaults.' });

export type PropertyValueDocument = number | string | boolean | null;

export interface ObjectDocument {
  type?: string;
  doc?: string;
  props?: Record<string, PropertyValueDocument>;
  children?: Record<string, ObjectDocument | null>;
  repeat?: number | string;
}

const ObjectDefinition: TSchema = Type.Recursive(
  (Self) =>
    Type.Object(
      {
        type: Type.Optional(
          Type.String({ minLength: 1, description: 'The object type: a catalog type ("rv32", "ram", "ns16550a", ...) or a composite type. May be left out only to re-configure an object inherited through "extends".' }),
        ),
        doc: Type.Optional(Type.String({ description: 'A note about this object.' })),
        props: Type.Optional(Props),
        children: Type.Optional(
          Type.Record(Type.String({ pattern: NAME_PATTERN }), Type.Union([Self, Type.Null()]), { description: 'Child objects, by name.', additionalProperties: false }),
        ),
        repeat: Type.Optional(Repeat),
      },
      { additionalProperties: false },
    ),
  { $id: 'BoardObject' },
);
/** Objects are defined once (in the root's $defs) and referenced wherever they appear. */
const ObjectSchema = Type.Ref(ObjectDefinition);

const MemoryEntrySchema = Type.Object(
  {
    map: Type.Optional(Type.String({ description: 'The region to map: "<object path>.<region port>", e.g. "uart0.regs" or "soc/ram.mem".' })),
    alias: Type.Optional(Type.String({ description: 'Map a window onto part of another region instead: "<object>.<region>".' })),
    offset: Type.Optional(IntegerOrExpression),
    size: Type.Optional(IntegerOrExpression),
    at: IntegerOrExpression,
    into: Type.Optional(Type.String({ description: 'Map into a container region ("<object>.<region>") instead of an address space.' })),
    space: Type.Optional(Type.String({ description: 'Address space to map into (default "system", which every CPU sees).' })),
    priority: Type.Optional(Type.Integer({ description: 'Where regions overlap, the higher priority wins; equal priorities must not overlap. Default 0.' })),
    repeat: Type.Optional(Repeat),
  },
  { additionalProperties: false },
);

const IrqWireSchema = Type.Object(
  {
    from: Type.String({ description: 'IRQ output(s): "<object>.<port>", "<object>.<port>[n]" or a range "<object>.<port>[0..3]".' }),
    to: Type.String({ description: 'IRQ input(s), same forms; a range must have as many lines as the source.' }),
    repeat: Type.Optional(Repeat),
  },
  { additionalProperties: false },
);

const ResetWireSchema = Type.Object(
  {
    from: Type.String({ description: 'A reset source: "<object>.<reset output>", or "board" for the system reset.' }),
    to: Type.String({ description: 'What it resets: an object path, or "domain:<name>".' }),
    repeat: Type.Optional(Repeat),
  },
  { additionalProperties: false },
);

const ImageSchema = Type.Object(
  {
    cpu: Type.Optional(Type.String({ description: 'CPU this image is for; an ELF entry point becomes its start address.' })),
    file: Type.Optional(Type.String({ minLength: 1, description: 'Image file: a path relative to the board file, or inside its .board.zip bundle; the firmware bundled with BoardLab is firmware/<name>.elf (the designer serves it; the CLI finds it in public/). An image names a file or a source, not both.' })),
    source: Type.Optional(Type.String({ minLength: 1, description: 'An assembly source of this board (a name in "sources"): assembled into the ELF this image loads, whenever the board is built.' })),
    format: Type.Optional(Type.Union([Type.Literal('elf'), Type.Literal('binary'), Type.Literal('ihex')], { description: 'elf (default), binary (raw bytes at "at"), or ihex (Intel HEX).' })),
    at: Type.Optional(IntegerOrExpression),
    space: Type.Optional(Type.String({ description: 'Address space to load into (default: the CPU\'s, else "system").' })),
  },
  { additionalProperties: false },
);

/** A source's name: a file name, as an editor tab shows it ("main.s", "boot.S"). */
export const SOURCE_NAME_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]*$';

/** The instruction sets the assembler (src/asm) takes. */
export const SOURCE_MARCHES = ['rv32imac', 'rv32i', 'armv7-m', 'armv6-m'] as const;
export type SourceMarch = (typeof SOURCE_MARCHES)[number];

const SourceSchema = Type.Object(
  {
    text: Type.String({ description: 'The assembly source (GNU as syntax), lines separated by "\\n".' }),
    march: Type.Optional(
      Type.Union(
        SOURCE_MARCHES.map((march) => Type.Literal(march)),
        { description: 'Instruction set to assemble for; default: the architecture of the CPU whose image names the source (RISC-V: rv32imac; Cortex-M0/M0+: armv6-m; other Cortex-M: armv7-m).' },
      ),
    ),
    textAddress: Type.Optional(
      Type.Union([Type.Integer(), Type.String()], { description: 'Where .text starts ("0x80000000"); default: 0x80000000 for RISC-V, 0 for ARM, as `boardlab asm` places it.' }),
    ),
  },
  { additionalProperties: false },
);

const ParamSchema = Type.Object(
  {
    default: Type.Integer(),
    min: Type.Optional(Type.Integer()),
    max: Type.Optional(Type.Integer()),
    doc: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const ExposedPropertySchema = Type.Object(
  {
    to: Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1 })], {
      description: 'Component property (or several, fan-out): "<object>.<property>".',
    }),
    scale: Type.Optional(Type.Number({ description: 'Multiply the value by this before passing it on (integer results only).' })),
    default: Type.Optional(PropertyValueSchema),
    doc: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const CompositeTypeSchema = Type.Object(
  {
    doc: Type.Optional(Type.String()),
    category: Type.Optional(Type.String()),
    params: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z_][a-z0-9_]*$' }), ParamSchema, { additionalProperties: false })),
    props: Type.Optional(Type.Record(Type.String(), ExposedPropertySchema, { description: 'Exposed properties that set component properties.' })),
    objects: Type.Record(Type.String({ pattern: NAME_PATTERN }), ObjectSchema, { additionalProperties: false }),
    containers: Type.Optional(
      Type.Record(Type.String(), IntegerOrExpression, { description: 'Container regions this type exposes, by name, with their sizes; map components into them with "into".' }),
    ),
    memory: Type.Optional(Type.Array(MemoryEntrySchema)),
    irqs: Type.Optional(Type.Array(IrqWireSchema)),
    resets: Type.Optional(Type.Array(ResetWireSchema)),
    ports: Type.Optional(
      Type.Object(
        {
          regions: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Exposed region ports: name → "<component>.<region>".' })),
          irqs: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Exposed IRQ ports: name → "<component>.<port>".' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const BoardDocumentSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    boardlab: Type.Literal(1, { description: 'Board format version.' }),
    name: Type.String({ minLength: 1, description: 'Board name.' }),
    description: Type.Optional(Type.String()),
    extends: Type.Optional(Type.String({ description: 'Start from a machine type, e.g. "riscv-virt@1.1" (no version: the latest).' })),
    params: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z_][a-z0-9_]*$' }), Type.Integer(), { description: 'Board parameters, usable as ${name} in expressions; they override the machine type\'s.', additionalProperties: false })),
    requires: Type.Optional(Type.Array(Type.String(), { description: 'Platform features the board needs (e.g. "shared-memory", "gdb-stub").' })),
    globals: Type.Optional(Type.Record(Type.String(), Props, { description: 'Global property values by type; they apply to subtypes too, below explicit values.' })),
    libraries: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Library files of composite types, relative to the board file.' })),
    types: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_-]*$' }), CompositeTypeSchema, { description: 'Composite types defined by this board (they win over library types of the same name).', additionalProperties: false })),
    objects: Type.Record(Type.String({ pattern: NAME_PATTERN }), Type.Union([ObjectSchema, Type.Null()]), {
      description: 'The composition tree under /machine: objects by name (null removes an object inherited through "extends").',
      additionalProperties: false,
    }),
    memory: Type.Optional(Type.Array(MemoryEntrySchema, { description: 'The memory graph: regions mapped at addresses.' })),
    irqs: Type.Optional(Type.Array(IrqWireSchema, { description: 'The IRQ graph: output ports wired to input ports.' })),
    resets: Type.Optional(Type.Array(ResetWireSchema, { description: 'The reset graph: reset sources to objects or reset domains.' })),
    resetDomains: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()), { description: 'Named groups of objects reset together.' })),
    images: Type.Optional(Type.Array(ImageSchema, { description: 'Firmware images loaded at build and at every reset.' })),
    sources: Type.Optional(
      Type.Record(Type.String({ pattern: SOURCE_NAME_PATTERN }), SourceSchema, {
        description: 'Assembly sources kept in the board, by file name ("main.s"); an image that names one ("source": "main.s") loads the ELF it assembles to.',
        additionalProperties: false,
      }),
    ),
    layout: Type.Optional(
      Type.Record(Type.String(), Type.Object({ x: Type.Number(), y: Type.Number() }, { additionalProperties: false }), {
        description: 'Positions the user gave nodes in the designer, by view and object path ("composition:/machine/uart0").',
      }),
    ),
  },
  { additionalProperties: false, $id: 'https://boardlab.dev/schema/board-1.json', title: 'BoardLab board document', $defs: { BoardObject: ObjectDefinition } },
);

export type MemoryEntryDocument = Static<typeof MemoryEntrySchema>;
export type IrqWireDocument = Static<typeof IrqWireSchema>;
export type ResetWireDocument = Static<typeof ResetWireSchema>;
export type ImageDocument = Static<typeof ImageSchema>;
export type SourceDocument = Static<typeof SourceSchema>;
export type ParamDocument = Static<typeof ParamSchema>;
export type ExposedPropertyDocument = Static<typeof ExposedPropertySchema>;

export interface CompositeTypeDocument {
  doc?: string;
  category?: string;
  params?: Record<string, ParamDocument>;
  props?: Record<string, ExposedPropertyDocument>;
  objects: Record<string, ObjectDocument>;
  containers?: Record<string, number | string>;
  memory?: MemoryEntryDocument[];
  irqs?: IrqWireDocument[];
  resets?: ResetWireDocument[];
  ports?: { regions?: Record<string, string>; irqs?: Record<string, string> };
}

export type BoardDocument = Omit<Static<typeof BoardDocumentSchema>, 'objects' | 'types'> & {
  objects: Record<string, ObjectDocument | null>;
  types?: Record<string, CompositeTypeDocument>;
};

/** A library file: composite types shared between boards. */
export const LibraryDocumentSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    'boardlab-library': Type.Literal(1, { description: 'Library format version.' }),
    description: Type.Optional(Type.String()),
    types: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_-]*$' }), CompositeTypeSchema, { additionalProperties: false }),
  },
  { additionalProperties: false, $id: 'https://boardlab.dev/schema/library-1.json', $defs: { BoardObject: ObjectDefinition } },
);

export interface LibraryDocument {
  'boardlab-library': 1;
  description?: string;
  types: Record<string, CompositeTypeDocument>;
}
