import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import {
  getMetadataStorage,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Min,
  ValidateIf,
  ValidateNested,
  ValidationTypes,
  validate,
  validateSync,
} from 'class-validator';
import { EVENT_CATALOG } from './catalog';
import { compiledVerdict } from './compiled-validation';
import { checkedPayload, describeValidationErrors } from './envelope';
import { usccCheckCharacter } from './uscc';

/**
 * The compiled path must never accept what class-transformer + class-validator refuse, and must hand
 * on the same instance. For every event class: valid payloads built from its rules, then each field
 * and each nested object mutated (wrong types, missing, null, extra and prototype keys, bad dates and
 * ids, lengths and sizes at and beyond their bounds, oversized strings), then random combinations of
 * those mutations. For each input both paths run:
 * - compiled "valid"   → the libraries accept it, and their instance equals the compiled one;
 * - compiled "invalid" → the libraries refuse it;
 * - compiled "outside" → (not decided there) the libraries answer, as they always did;
 * and `checkedPayload` gives exactly the libraries' problems (what they throw on becomes one problem naming it).
 */

type Cls = new () => object;
type Json = unknown;

const storage = getMetadataStorage();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

function metadataOf(cls: Cls) {
  const grouped = new Map<string, ReturnType<typeof storage.getTargetValidationMetadatas>>();
  for (const meta of storage.getTargetValidationMetadatas(cls, undefined as unknown as string, false, false)) {
    grouped.set(meta.propertyName, [...(grouped.get(meta.propertyName) ?? []), meta]);
  }
  return grouped;
}

function nestedClass(cls: Cls, property: string): Cls | undefined {
  return defaultMetadataStorage.findTypeMetadata(cls, property)?.typeFunction() as Cls | undefined;
}

const SAMPLE_FOR_PATTERN: Record<string, string> = {
  '^\\d{6}$': '110105',
  '^(\\d{2}|\\d{4}|\\d{6})$': '1101',
  '^[A-Za-z0-9._-]{1,64}$': 'ref-2026.1',
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$': '2026-11-30T09:30:00+08:00',
};

const USCC = ((first17: string) => first17 + usccCheckCharacter(first17))('91110105MA01ABCD2');

/** One valid value for a property, from its rules. */
function validValue(cls: Cls, property: string, withOptional: boolean, depth: number): Json {
  const metas = metadataOf(cls).get(property) ?? [];
  const names = new Set(metas.map((meta) => meta.name));
  const find = (name: string) => metas.find((meta) => meta.name === name);
  const isArray = names.has('isArray');
  const nested = metas.some((meta) => meta.type === ValidationTypes.NESTED_VALIDATION);
  let element: Json;
  if (nested) {
    const child = nestedClass(cls, property);
    if (!child) throw new Error(`${cls.name}.${property}: nested without @Type`);
    element = sampleOf(child, withOptional, depth + 1);
  } else if (names.has('isUuid')) element = '3f1c2d4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f';
  else if (names.has('isUscc')) element = USCC;
  else if (names.has('isDateString') && names.has('matches'))
    element = SAMPLE_FOR_PATTERN[(find('matches')!.constraints[0] as RegExp).source];
  else if (names.has('isDateString')) element = '2026-03-01T08:00:00.000Z';
  else if (names.has('isIn')) element = (find('isIn')!.constraints[0] as unknown[])[0];
  else if (names.has('matches')) {
    const source = (find('matches')!.constraints[0] as RegExp).source;
    element = SAMPLE_FOR_PATTERN[source];
    if (element === undefined) throw new Error(`${cls.name}.${property}: add a sample for /${source}/`);
  } else if (names.has('isInt') || names.has('isNumber')) {
    const min = find('min')?.constraints[0] as number | undefined;
    element = Math.max(min ?? 1, 1);
  } else if (names.has('isBoolean')) element = true;
  else if (names.has('isString') || names.has('isLength')) {
    const length = find('isLength')?.constraints[0] as number | undefined;
    element = 'v'.repeat(Math.max(length ?? 1, 1));
  } else if (isArray) return [];
  else throw new Error(`${cls.name}.${property}: no sample for rules ${[...names].join(', ')}`);
  if (!isArray) return element;
  const min = (find('arrayMinSize')?.constraints[0] as number | undefined) ?? 1;
  return Array.from({ length: Math.max(min, 1) }, () => JSON.parse(JSON.stringify(element)) as Json);
}

function isOptional(cls: Cls, property: string): boolean {
  return (metadataOf(cls).get(property) ?? []).some((meta) => meta.name === 'isOptional');
}

function sampleOf(cls: Cls, withOptional: boolean, depth = 0): Record<string, Json> {
  const sample: Record<string, Json> = {};
  for (const property of metadataOf(cls).keys()) {
    if (isOptional(cls, property) && (!withOptional || depth > 3)) continue;
    sample[property] = validValue(cls, property, withOptional, depth);
  }
  return sample;
}

/** Values that break (or just meet) common rules, tried in every field. */
const BAD_VALUES: Json[] = [
  undefined,
  null,
  0,
  -1,
  1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -0,
  1e21,
  2 ** 53,
  '1',
  '',
  ' ',
  'x',
  '\u0000',
  '\uFE0F',
  'a\uFE0F',
  '😀',
  '😀'.repeat(64),
  'a'.repeat(64) + '\uFE0F',
  'a'.repeat(65),
  'a'.repeat(201),
  'a'.repeat(100_000),
  true,
  false,
  'true',
  [],
  [1],
  ['x'],
  [null],
  [{}],
  [[]],
  {},
  { a: 1 },
  { constructor: 1 },
  { __proto__: null },
  '2026-02-30',
  '2026-13-01',
  '2026-03-01',
  '2026-03-01T08:00:00Z',
  '2026-03-01T25:00:00Z',
  '2026-03-01T08:00:00+0800',
  '20260301',
  '2026-W09',
  'not a date',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '3F1C2D4E-5B6A-4C7D-8E9F-0A1B2C3D4E5F',
  '3f1c2d4e-5b6a-9c7d-8e9f-0a1b2c3d4e5f',
  '3f1c2d4e-5b6a-4c7d-cd9f-0a1b2c3d4e5f',
  '3f1c2d4e5b6a4c7d8e9f0a1b2c3d4e5f',
  USCC,
  USCC.toLowerCase(),
  USCC.slice(0, 17) + (USCC[17] === '0' ? '1' : '0'),
  '110105',
  '11010',
  '1101050',
  'granted',
  'GRANTED',
];

/** Variations of a valid value: its bounds and near misses. */
function variationsOf(cls: Cls, property: string, value: Json): Json[] {
  const metas = metadataOf(cls).get(property) ?? [];
  const out: Json[] = [];
  const length = metas.find((meta) => meta.name === 'isLength');
  if (length) {
    const [min, max] = length.constraints as [number, number];
    for (const n of [min - 1, min, max, max + 1]) if (n >= 0) out.push('w'.repeat(n), [...Array(Math.max(n, 0))].map(() => '😀').join(''));
    out.push('w'.repeat(max) + '\uFE0F', '\uFE0F'.repeat(min), 'w\uFE0F'.repeat(max));
  }
  for (const bound of ['min', 'max']) {
    const meta = metas.find((m) => m.name === bound);
    if (meta) {
      const n = meta.constraints[0] as number;
      out.push(n - 1, n, n + 1, n - 0.5, n + 0.5, String(n));
    }
  }
  for (const size of ['arrayMinSize', 'arrayMaxSize']) {
    const meta = metas.find((m) => m.name === size);
    if (meta && Array.isArray(value) && value.length > 0) {
      const n = meta.constraints[0] as number;
      for (const k of [n - 1, n, n + 1])
        if (k >= 0) out.push(Array.from({ length: k }, () => JSON.parse(JSON.stringify(value[0])) as Json));
    }
  }
  const isIn = metas.find((m) => m.name === 'isIn');
  if (isIn) for (const allowed of isIn.constraints[0] as unknown[]) out.push(allowed, String(allowed).toUpperCase(), [allowed]);
  if (typeof value === 'string') out.push(` ${value}`, `${value} `, `${value}\n`, value.toUpperCase(), value.toLowerCase(), [value]);
  if (Array.isArray(value)) {
    out.push(value.concat(value), [value], value.length > 0 ? value[0] : 'x');
    for (const bad of BAD_VALUES.slice(0, 20)) out.push([...value, bad]);
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) out.push([value], [value, value], JSON.stringify(value));
  return out;
}

interface Case {
  label: string;
  data: Json;
}

/** Every mutation of `sample` (an instance of `cls`'s plain shape), at this level and in nested objects. */
function mutations(cls: Cls, sample: Record<string, Json>, label: string, depth = 0, everyValue = true): Case[] {
  const cases: Case[] = [];
  const put = (what: string, data: Json) => cases.push({ label: `${label}: ${what}`, data });
  for (const extra of ['extra', 'constructor', 'toString', 'hasOwnProperty', 'then', 'valueOf', 'isPrototypeOf', '0', '']) {
    put(`extra key ${JSON.stringify(extra)}`, { ...sample, [extra]: 'x' });
  }
  put(
    '__proto__ key (as JSON.parse makes it)',
    JSON.parse(JSON.stringify({ ...sample, marker: 1 }).replace('"marker":1', '"__proto__":{"x":1}')),
  );
  put('__proto__ key with a primitive', JSON.parse(JSON.stringify({ ...sample, marker: 1 }).replace('"marker":1', '"__proto__":1')));
  put('null prototype', Object.assign(Object.create(null), sample));
  put('an instance of the class', Object.assign(new cls(), sample));
  for (const property of metadataOf(cls).keys()) {
    const value = sample[property] ?? validValue(cls, property, true, depth);
    const without = { ...sample };
    delete without[property];
    put(`${property} missing`, without);
    const values = everyValue ? [...BAD_VALUES, ...variationsOf(cls, property, value)] : [null, undefined, {}, [], 1, 'x'];
    for (const bad of values) put(`${property} = ${show(bad)}`, { ...sample, [property]: bad });
    put(`${property} = a Date`, { ...sample, [property]: new Date('2026-03-01T08:00:00Z') });
    put(`${property} = a function`, { ...sample, [property]: () => 'x' });
    const child = nestedClass(cls, property);
    if (child && depth < 2) {
      const inner = Array.isArray(value) ? value[0] : value;
      if (inner && typeof inner === 'object') {
        for (const nestedCase of mutations(child, inner as Record<string, Json>, `${label}.${property}`, depth + 1, everyValue)) {
          const replaced = Array.isArray(value) ? [nestedCase.data, ...value.slice(1)] : nestedCase.data;
          cases.push({ label: nestedCase.label, data: { ...sample, [property]: replaced } });
        }
      }
    }
  }
  return cases;
}

function show(value: Json): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}… (${text.length})` : text;
}

/** The instance's structure: constructors, own keys in order, values (NaN and -0 told apart). */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return { array: value.map(shape) };
  if (value !== null && typeof value === 'object')
    return {
      class: value.constructor?.name ?? null,
      keys: Object.keys(value).map((key) => [key, shape((value as Record<string, unknown>)[key])]),
    };
  if (typeof value === 'number') return { number: Object.is(value, -0) ? '-0' : String(value) };
  if (typeof value === 'function') return { function: true };
  return { [typeof value]: value };
}

function libraries(cls: Cls, data: Json): { instance?: object; problems?: string[]; thrown?: string } {
  try {
    const instance = plainToInstance(cls, data);
    return { instance, problems: describeValidationErrors(validateSync(instance, { whitelist: true, forbidNonWhitelisted: true })) };
  } catch (error) {
    return { thrown: String(error) };
  }
}

function checkedByPayload(cls: Cls, data: Json): { problems?: string[]; thrown?: string } {
  try {
    return { problems: checkedPayload(cls as never, data).problems };
  } catch (error) {
    return { thrown: String(error) };
  }
}

/** A deterministic PRNG (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Holds one input against both paths; returns the compiled verdict. */
function holdsEquivalent(cls: Cls, { label, data }: Case): string {
  const compiled = compiledVerdict(cls, data);
  const reference = libraries(cls, data);
  const accepted = reference.problems !== undefined && reference.problems.length === 0;
  if (compiled.verdict === 'valid') {
    if (!accepted)
      throw new Error(`${label}: compiled accepts what the libraries refuse: ${reference.thrown ?? reference.problems!.join('; ')}`);
    const [mine, theirs] = [shape(compiled.instance), shape(reference.instance)];
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) expect({ label, shape: mine }).toEqual({ label, shape: theirs });
  } else if (compiled.verdict === 'invalid' && accepted) {
    throw new Error(`${label}: compiled refuses what the libraries accept`);
  }
  const combined = checkedByPayload(cls, data);
  // What the libraries throw on (a nested `constructor` key without @Type) is one problem, not an exception.
  const expected = reference.thrown
    ? { problems: [`data: cannot be read as ${cls.name} (${reference.thrown})`] }
    : { problems: reference.problems };
  if (JSON.stringify(combined) !== JSON.stringify(expected)) expect({ label, ...combined }).toEqual({ label, ...expected });
  return compiled.verdict;
}

describe('compiled validation (ADR 0011): same verdict as class-transformer + class-validator', () => {
  const totals = { valid: 0, invalid: 0, outside: 0 };
  afterAll(() => {
    // The figures of the last run, for the ADR's equivalence argument.
    process.stdout.write(`compiled verdicts over all event classes: ${JSON.stringify(totals)}\n`);
  });

  it.each(EVENT_CATALOG.map((cls) => [cls.type, cls] as const))('%s', (_type, eventClass) => {
    const cls = eventClass as unknown as Cls;
    const full = sampleOf(cls, true);
    const minimal = sampleOf(cls, false);
    for (const sample of [full, minimal]) {
      expect(compiledVerdict(cls, sample).verdict).toBe('valid'); // the fast path takes real traffic
      expect(compiledVerdict(cls, JSON.parse(JSON.stringify(sample))).verdict).toBe('valid');
    }
    // The minimal sample (optional fields left out) with its keys and types changed; the full one with every value.
    const cases = [...mutations(cls, full, 'full'), ...mutations(cls, minimal, 'minimal', 0, false)];
    // Random combinations of two or three mutations of the full sample, seeded by the type.
    const next = random([...eventClass.type].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) >>> 0, 7));
    const single = mutations(cls, full, 'mix');
    for (let i = 0; i < 100; i++) {
      const picks = Array.from({ length: 2 + Math.floor(next() * 2) }, () => single[Math.floor(next() * single.length)]);
      const data = picks.reduce<Record<string, Json>>((merged, pick) => {
        const changed = pick.data as Record<string, Json>;
        const out = { ...merged };
        for (const key of new Set([...Object.keys(full), ...Object.keys(changed)])) {
          if (!(key in changed)) delete out[key];
          else if (changed[key] !== full[key]) out[key] = changed[key];
        }
        return out;
      }, full);
      cases.push({ label: `mix ${i}: ${picks.map((pick) => pick.label).join(' + ')}`, data });
    }
    for (const one of cases) totals[holdsEquivalent(cls, one) as keyof typeof totals]++;
  });

  it('compiles a class again when a decorator adds rules after its first use', () => {
    class Late {
      @IsString() name!: string;
    }
    expect(compiledVerdict(Late, { name: 'abcd' }).verdict).toBe('valid');
    Length(1, 3)(Late.prototype, 'name'); // as a decorator applied later would
    expect(compiledVerdict(Late, { name: 'abcd' }).verdict).toBe('invalid');
    expect(holdsEquivalent(Late, { label: 'late rule', data: { name: 'abcd' } })).toBe('invalid');
    Type(() => Number)(Late.prototype, 'name'); // class-transformer metadata too (a conversion, not modelled)
    expect(compiledVerdict(Late, { name: 'abc' }).verdict).toBe('outside');
  });

  it("decides as Nest's pipe does in pipe mode (unknown nested values allowed, rules awaited)", async () => {
    class Bare {}
    class Holder {
      @IsString() name!: string;
      @ValidateNested() @Type(() => Bare) bare!: Bare;
    }
    const pipe = async (data: object) =>
      (await validate(plainToInstance(Holder, data), { forbidUnknownValues: false, whitelist: true, forbidNonWhitelisted: true }))
        .length === 0;
    for (const data of [{ name: 'a', bare: {} }, { name: 'a', bare: { x: 1 } }, { name: 1, bare: {} }, { name: 'a' }]) {
      const compiled = compiledVerdict(Holder, data, 'pipe').verdict;
      expect({ data, compiled }).toEqual({ data, compiled: (await pipe(data)) ? 'valid' : expect.stringMatching(/invalid|outside/) });
    }
    expect(compiledVerdict(Holder, { name: 'a', bare: {} }, 'pipe').verdict).toBe('valid');
    expect(compiledVerdict(Holder, { name: 'a', bare: {} }, 'sync').verdict).toBe('invalid'); // unknown value forbidden
  });

  it('decides nested arrays, optional and conditional rules as class-validator does', () => {
    class Leaf {
      @IsString() @Length(1, 3) name!: string;
    }
    class Root {
      @IsInt() @Min(0) count!: number;
      @IsOptional() @IsString() note?: string;
      @ValidateIf((root: Root) => root.count > 5) @IsString() reason?: string;
      @IsArray() @ValidateNested({ each: true }) @Type(() => Leaf) leaves!: Leaf[];
      @IsOptional() @ValidateNested() @Type(() => Leaf) one?: Leaf;
    }
    const base = { count: 1, leaves: [{ name: 'a' }] };
    const cases: Case[] = [
      { label: 'base', data: base },
      { label: 'reason needed', data: { ...base, count: 6 } },
      { label: 'reason given', data: { ...base, count: 6, reason: 'r' } },
      { label: 'reason not needed but wrong', data: { ...base, reason: 3 } },
      { label: 'null note', data: { ...base, note: null } },
      { label: 'leaf too long', data: { ...base, leaves: [{ name: 'abcd' }] } },
      { label: 'leaf extra key', data: { ...base, leaves: [{ name: 'a', x: 1 }] } },
      { label: 'leaf primitive', data: { ...base, leaves: ['a'] } },
      { label: 'leaf null', data: { ...base, leaves: [null] } },
      { label: 'leaves nested array', data: { ...base, leaves: [[{ name: 'a' }]] } },
      { label: 'one as array', data: { ...base, one: [{ name: 'a' }] } },
      { label: 'one valid', data: { ...base, one: { name: 'a' } } },
      { label: 'one primitive', data: { ...base, one: 'a' } },
      { label: 'one with constructor key', data: { ...base, one: { name: 'a', constructor: 1 } } },
      { label: 'count as string', data: { ...base, count: '1' } },
    ];
    const verdicts = cases.map((one) => [one.label, holdsEquivalent(Root, one)]);
    expect(Object.fromEntries(verdicts)).toMatchObject({
      base: 'valid',
      'reason needed': 'invalid',
      'reason given': 'valid',
      'reason not needed but wrong': 'valid',
      'null note': 'valid',
      'leaf too long': 'invalid',
      'leaf extra key': 'outside',
      'leaf primitive': 'invalid',
      'leaf null': 'invalid',
      'leaves nested array': 'outside',
      'one as array': 'outside',
      'one valid': 'valid',
    });
  });
});
