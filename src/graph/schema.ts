// The board document format, version 1. One TypeBox source gives both the TypeScript types and the
// JSON Schema (published for the editor as public/schema/board.schema.json by scripts/write-schema.ts).
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** An object name: what appears in canonical paths (/machine/soc/uart0). */
export const NAME_PATTERN = '^[a-z][a-z0-9_-]*$';

const Integer = Type.Union([Type.Integer(), Type.String()], {
  description: 'A number, or a string such as "0x80000000", "128M" or "64 KiB".',
});

const PropertyValueSchema = Type.Union([Type.Integer(), Type.String(), Type.Boolean()], {
  description: 'A property value. Integers may be written as strings: "0x1000", "16M", "10 MHz".',
});

export interface ObjectDocument {
  type: string;
  doc?: string;
  props?: Record<string, number | string | boolean>;
  children?: Record<string, ObjectDocument>;
}

const ObjectSchema: TSchema = Type.Recursive(
  (Self) =>
    Type.Object(
      {
        type: Type.String({ minLength: 1, description: 'The object type, from the type catalog (e.g. "rv32", "ram", "ns16550a").' }),
        doc: Type.Optional(Type.String({ description: 'A note about this object.' })),
        props: Type.Optional(Type.Record(Type.String(), PropertyValueSchema, { description: 'Property values; unset properties take their defaults.' })),
        children: Type.Optional(Type.Record(Type.String({ pattern: NAME_PATTERN }), Self, { description: 'Child objects, by name.', additionalProperties: false })),
      },
      { additionalProperties: false },
    ),
  { $id: 'BoardObject' },
);

export const MemoryMapping = Type.Object(
  {
    map: Type.String({ description: 'The region to map: "<object path>.<region port>", e.g. "uart0.regs" or "soc/ram.mem".' }),
    at: Integer,
    space: Type.Optional(Type.String({ description: 'Address space to map into (default "system", shared by every CPU).' })),
  },
  { additionalProperties: false },
);

export const IrqWire = Type.Object(
  {
    from: Type.String({ description: 'An IRQ output: "<object path>.<port>" or "<object path>.<port>[n]".' }),
    to: Type.String({ description: 'An IRQ input: "<object path>.<port>" or "<object path>.<port>[n]".' }),
  },
  { additionalProperties: false },
);

export const ImageLoad = Type.Object(
  {
    cpu: Type.String({ description: 'Path of the CPU this image is for; an ELF sets its entry point.' }),
    file: Type.String({ minLength: 1, description: 'Image file, relative to the board file (the CLI also looks in public/; the browser serves public/ at /).' }),
    format: Type.Optional(Type.Literal('elf', { description: 'Image format. Only "elf" in format version 1.' })),
  },
  { additionalProperties: false },
);

export const BoardDocumentSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    boardlab: Type.Literal(1, { description: 'Board format version.' }),
    name: Type.String({ minLength: 1, description: 'Board name.' }),
    description: Type.Optional(Type.String()),
    objects: Type.Record(Type.String({ pattern: NAME_PATTERN }), ObjectSchema, {
      description: 'The composition tree under /machine: objects by name.',
      additionalProperties: false,
    }),
    memory: Type.Optional(Type.Array(MemoryMapping, { description: 'The memory graph: regions mapped at addresses.' })),
    irqs: Type.Optional(Type.Array(IrqWire, { description: 'The IRQ graph: output ports wired to input ports.' })),
    images: Type.Optional(Type.Array(ImageLoad, { description: 'Firmware images loaded at build and reset.' })),
  },
  { additionalProperties: false, $id: 'https://boardlab.dev/schema/board-1.json', title: 'BoardLab board document' },
);

export type BoardDocument = Omit<Static<typeof BoardDocumentSchema>, 'objects'> & {
  objects: Record<string, ObjectDocument>;
};
