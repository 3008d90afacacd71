import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { compiledVerdict, usccCheckCharacter } from '@backbone/contracts';
import { presenceProblems, requestValidationPipe } from '@backbone/platform';
import { testUscc } from '@backbone/testing';
import { DecideApprovalRequest } from './decide-approval.request.dto';
import { grantedLicenceRequest } from './decide-approval.request.fixture';

/**
 * `POST /approvals` bodies take the compiled path (ADR 0011). It must never accept what Nest's
 * ValidationPipe (class-transformer + class-validator, the options of the platform's pipe) refuses, and
 * must return the same instance. Valid bodies at the rules' boundaries, then every field and nested
 * field set to wrong and borderline values, missing, with extra and prototype keys; for each body:
 * compiled "valid" → the pipe returns an equal instance; compiled "invalid" → the pipe refuses it;
 * "outside" → the pipe decides, as before. The platform's pipe, which takes the compiled path, then
 * returns that instance too (unless its own null and presence rules refuse the body first).
 */
const base: Record<string, unknown> = { ...grantedLicenceRequest(testUscc(7)) };
const delegation = { fromRegionCode: '320000', fromDepartment: 'D'.repeat(64) };
const entrustment = { entrustingDepartment: 'E'.repeat(64), agreement: '协'.repeat(200) };

const VALID: Array<[string, Record<string, unknown>]> = [
  ['the least a grant needs', base],
  [
    'every field at its longest',
    {
      ...base,
      applicationNumber: 'A'.repeat(64),
      entityName: '食'.repeat(200),
      itemCode: 'I'.repeat(64),
      licenceNumber: 'L'.repeat(64),
      decidedAt: '2026-03-01T17:00:00.123456789+08:00',
      validUntil: '2031-02-28',
      delegation,
      entrustment,
    },
  ],
  ['a refusal without a licence number', { ...base, outcome: 'refused', licenceNumber: undefined }],
  ['a filing', { ...base, kind: 'filing' }],
  ['decidedAt in lower case', { ...base, decidedAt: '2026-03-01t09:00:00z' }],
  ['validUntil on a leap day', { ...base, validUntil: '2028-02-29' }],
];

const BAD: unknown[] = [
  undefined,
  null,
  0,
  1,
  -1,
  1.5,
  Number.NaN,
  true,
  '',
  ' ',
  'x',
  '\u0000',
  '\uFE0F',
  'a\uFE0F',
  '😀'.repeat(64),
  'a'.repeat(64) + '\uFE0F',
  'a'.repeat(65),
  'a'.repeat(201),
  'a'.repeat(100_000),
  [],
  ['x'],
  {},
  { a: 1 },
  { constructor: 1 },
  '2026-02-30',
  '2026-13-01',
  '2026-03-01',
  '2026-03-01T08:00:00Z',
  '2026-03-01T25:00:00Z',
  '2026-03-01T08:00:00+0800',
  '9999-12-31T23:59:59-23:59',
  '2026-W09',
  '320703',
  '32070',
  '3207030',
  'licence',
  'LICENCE',
  'filing',
  'commitment',
  'granted',
  'refused',
  'Granted',
  testUscc(8),
  testUscc(7).toLowerCase(),
  testUscc(7).slice(0, 17) + (usccCheckCharacter(testUscc(7).slice(0, 17)) === '0' ? '1' : '0'),
  delegation,
  [delegation],
  { ...delegation, extra: 1 },
  { ...delegation, fromRegionCode: '32000' },
  { fromDepartment: 'D' },
  entrustment,
  { ...entrustment, agreement: '' },
];

interface Body {
  label: string;
  data: unknown;
}

function bodies(): Body[] {
  const out: Body[] = VALID.map(([label, data]) => ({ label, data }));
  const full = VALID[1][1];
  for (const [label, sample] of [VALID[0], VALID[1], VALID[2]]) {
    const keys = [...new Set([...Object.keys(full), 'extra'])];
    for (const key of keys) {
      const without = { ...sample };
      delete without[key];
      out.push({ label: `${label}: ${key} missing`, data: without });
      for (const value of BAD)
        out.push({ label: `${label}: ${key} = ${JSON.stringify(value)?.slice(0, 30)}`, data: { ...sample, [key]: value } });
    }
    for (const extra of ['constructor', 'toString', 'hasOwnProperty', 'then', 'valueOf'])
      out.push({ label: `${label}: extra key ${extra}`, data: { ...sample, [extra]: 'x' } });
    out.push({
      label: `${label}: __proto__ key`,
      data: JSON.parse(JSON.stringify({ ...sample, m: 1 }).replace('"m":1', '"__proto__":{"x":1}')),
    });
    out.push({ label: `${label}: null prototype`, data: Object.assign(Object.create(null), sample) });
  }
  for (const [key, nested] of [
    ['delegation', delegation],
    ['entrustment', entrustment],
  ] as const) {
    for (const field of [...Object.keys(nested), 'extra', 'constructor', '__proto__']) {
      const without: Record<string, unknown> = { ...nested };
      delete without[field];
      out.push({ label: `${key}.${field} missing`, data: { ...full, [key]: without } });
      for (const value of BAD)
        out.push({
          label: `${key}.${field} = ${JSON.stringify(value)?.slice(0, 30)}`,
          data: { ...full, [key]: { ...nested, [field]: value } },
        });
    }
  }
  return out;
}

/** Constructors, own keys in order and values of an instance. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return { array: value.map(shape) };
  if (value !== null && typeof value === 'object')
    return {
      class: value.constructor?.name ?? null,
      keys: Object.keys(value).map((key) => [key, shape((value as Record<string, unknown>)[key])]),
    };
  return { [typeof value]: typeof value === 'number' ? String(value) : value };
}

/** A copy for each path: Nest's pipe deletes prototype keys in place. */
function copy(data: unknown): unknown {
  if (data === null || typeof data !== 'object') return data;
  if (Array.isArray(data)) return data.map(copy);
  const out = Object.create(Object.getPrototypeOf(data) as object | null) as Record<string, unknown>;
  for (const key of Object.keys(data)) out[key] = copy((data as Record<string, unknown>)[key]);
  return out;
}

const metadata = { type: 'body' as const, metatype: DecideApprovalRequest, data: undefined };

async function outcome(pipe: ValidationPipe, data: unknown): Promise<{ instance?: unknown; refused?: string }> {
  try {
    return { instance: shape(await pipe.transform(copy(data), metadata)) };
  } catch (error) {
    return { refused: JSON.stringify((error as { getResponse?: () => unknown }).getResponse?.() ?? String(error)) };
  }
}

describe('POST /approvals body: compiled path (ADR 0011) against the pipe', () => {
  const nest = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });
  const platform = requestValidationPipe();

  it.each(VALID)('takes the compiled path: %s', (_label, data) => {
    expect(compiledVerdict(DecideApprovalRequest, copy(data), 'pipe').verdict).toBe('valid');
  });

  it('never accepts what the pipe refuses, and returns the same instance', async () => {
    const totals = { valid: 0, invalid: 0, outside: 0 };
    for (const { label, data } of bodies()) {
      const compiled = compiledVerdict(DecideApprovalRequest, copy(data), 'pipe');
      totals[compiled.verdict]++;
      const reference = await outcome(nest, data);
      if (compiled.verdict === 'valid') {
        expect({ label, ...reference }).toEqual({ label, instance: shape(compiled.instance) });
        // The platform's pipe also refuses nulls and absent nested objects (presenceProblems) before either path.
        if (presenceProblems(DecideApprovalRequest, data).length === 0)
          expect({ label, ...(await outcome(platform, data)) }).toEqual({ label, instance: shape(compiled.instance) });
      } else if (compiled.verdict === 'invalid') {
        expect({ label, refused: reference.refused !== undefined }).toEqual({ label, refused: true });
      }
    }
    process.stdout.write(`compiled verdicts over POST /approvals bodies: ${JSON.stringify(totals)}\n`);
    expect(totals.valid).toBeGreaterThan(100);
    expect(totals.invalid).toBeGreaterThan(500);
  });
});
