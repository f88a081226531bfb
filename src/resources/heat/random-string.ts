/**
 * OS::Heat::RandomString — a random string (Heat's `RandomString` + `password_gen`), drawn with a CSPRNG.
 * `length` (1-512, default 32), `character_classes` [{class, min}], `character_sequences` [{sequence, min}],
 * `salt` (changing it replaces the resource, i.e. regenerates), hidden `sequence` (old form of one class).
 * Attribute `value`; `get_resource` gives the string itself.
 */
import { randomInt } from 'node:crypto';
import { HeatError } from '../../template/errors.js';
import type { Properties, ResourcePlugin } from '../../engine/plugin.js';
import { selectFromAttribute } from '../support/attribute-path.js';
import { physicalNameOf, SHOW_ATTRIBUTE } from '../support/common.js';
import { PythonError } from '../support/errors.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

/** Heat's named character classes. */
export const CHARACTER_CLASSES: Readonly<Record<string, string>> = {
  lettersdigits: LETTERS + DIGITS,
  letters: LETTERS,
  lowercase: 'abcdefghijklmnopqrstuvwxyz',
  uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: DIGITS,
  hexdigits: `${DIGITS}ABCDEF`,
  octdigits: '01234567',
};

const CLASS_NAMES = Object.keys(CHARACTER_CLASSES);
const DEFAULT_CLASSES = [{ class: 'lettersdigits', min: 1 }];

/** A set of allowed characters and how many of them at least. */
export interface CharClass {
  readonly chars: readonly string[];
  readonly min: number;
}

function pick<T>(items: readonly T[]): T {
  if (items.length === 0) throw new PythonError('IndexError', 'Cannot choose from an empty sequence');
  return items[randomInt(items.length)] as T;
}

/**
 * `password_gen.generate_password`: `min` characters from each class, the rest from the union of all classes,
 * then shuffled.
 */
export function generatePassword(length: number, classes: readonly CharClass[]): string {
  const picked: string[] = [];
  const all = new Set<string>();
  for (const c of classes) {
    const unique = [...new Set(c.chars)];
    unique.forEach((ch) => all.add(ch));
    for (let i = 0; i < c.min; i++) picked.push(pick(unique));
  }
  const combined = [...all];
  while (picked.length < length) picked.push(pick(combined));
  for (let i = picked.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [picked[i], picked[j]] = [picked[j] as string, picked[i] as string];
  }
  return picked.slice(0, length).join('');
}

interface ClassSpec {
  class?: unknown;
  min?: unknown;
}
interface SequenceSpec {
  sequence?: unknown;
  min?: unknown;
}

function asList<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

/** The effective character classes: the hidden `sequence` property is added as one more class (translation rule). */
function effectiveClasses(properties: Properties): ClassSpec[] {
  const classes = asList<ClassSpec>(properties['character_classes']);
  const sequence = properties['sequence'];
  if (typeof sequence === 'string' && sequence !== '') {
    const isDefault = JSON.stringify(classes) === JSON.stringify(DEFAULT_CLASSES);
    return [...(isDefault ? [] : classes), { class: sequence, min: 1 }];
  }
  return classes;
}

function minOf(spec: { min?: unknown }): number {
  return typeof spec.min === 'number' ? spec.min : 0;
}

/** The string for these properties. */
export function randomStringFor(properties: Properties): string {
  const sequences = asList<SequenceSpec>(properties['character_sequences']).map((s) => ({
    chars: [...String(s.sequence ?? '')],
    min: minOf(s),
  }));
  const classes = effectiveClasses(properties).map((c) => ({
    chars: [...(CHARACTER_CLASSES[String(c.class)] ?? '')],
    min: minOf(c),
  }));
  const length = typeof properties['length'] === 'number' ? properties['length'] : 32;
  return generatePassword(length, [...sequences, ...classes]);
}

const minSchema = {
  type: 'integer',
  default: 1,
  constraints: [{ kind: 'range', min: 1, max: 512 }],
} as const;

/** The OS::Heat::RandomString plugin. */
export const randomStringResource: ResourcePlugin = {
  type: 'OS::Heat::RandomString',
  distributable: true,
  description: 'A resource which generates a random string.',
  supportStatus: { status: 'SUPPORTED', version: '2014.1' },
  properties: {
    length: {
      type: 'integer',
      description: 'Length of the string to generate.',
      default: 32,
      constraints: [{ kind: 'range', min: 1, max: 512 }],
    },
    sequence: {
      type: 'string',
      description: 'Sequence of characters to build the random string from.',
      constraints: [{ kind: 'allowed_values', values: CLASS_NAMES }],
    },
    character_classes: {
      type: 'list',
      description: 'A list of character class and their constraints to generate the random string from.',
      items: {
        type: 'map',
        schema: {
          class: {
            type: 'string',
            description:
              'A character class and its corresponding min constraint to generate the random string from.',
            constraints: [{ kind: 'allowed_values', values: CLASS_NAMES }],
            default: 'lettersdigits',
          },
          min: {
            ...minSchema,
            description:
              'The minimum number of characters from this character class that will be in the generated string.',
          },
        },
      },
      default: DEFAULT_CLASSES,
    },
    character_sequences: {
      type: 'list',
      description: 'A list of character sequences and their constraints to generate the random string from.',
      items: {
        type: 'map',
        schema: {
          sequence: {
            type: 'string',
            description:
              'A character sequence and its corresponding min constraint to generate the random string from.',
            required: true,
          },
          min: {
            ...minSchema,
            description:
              'The minimum number of characters from this sequence that will be in the generated string.',
          },
        },
      },
    },
    salt: {
      type: 'string',
      description:
        'Value which can be set or changed on stack update to trigger the resource for replacement with a new random string. The salt value itself is ignored by the random generator.',
    },
  },
  attributes: {
    value: {
      description:
        'The random string generated by this resource. This value is also available by referencing the resource.',
      type: 'string',
    },
  },

  validate(properties, ctx) {
    const length = properties['length'];
    if (typeof length !== 'number') return;
    const total =
      asList<SequenceSpec>(properties['character_sequences']).reduce((n, s) => n + minOf(s), 0) +
      effectiveClasses(properties).reduce((n, c) => n + minOf(c), 0);
    if (total > length) {
      throw new HeatError(
        'StackValidationFailed',
        'Length property cannot be smaller than combined character class and character sequence minimums',
        { path: ['resources', ctx.resourceName] },
      );
    }
  },

  async create(properties, ctx) {
    // Idempotent: a retry after a crash keeps the string generated the first time.
    const existing = ctx.state.data['value'];
    const value = typeof existing === 'string' ? existing : randomStringFor(properties);
    if (typeof existing !== 'string') await ctx.saveData({ ...ctx.state.data, value });
    return { physicalId: physicalNameOf(ctx), data: { ...ctx.state.data, value }, attributes: { value } };
  },

  async delete() {},

  referenceId(state) {
    if (state.physicalId === null) return state.name;
    const v = state.data['value'];
    return typeof v === 'string' ? v : null;
  },

  attribute(state, name, path) {
    if (name !== 'value') return null;
    return selectFromAttribute(state.data['value'] ?? null, path);
  },

  hasAttribute(name) {
    return name === 'value' || name === SHOW_ATTRIBUTE;
  },
};
