import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { onValidationMetadataChange } from './validation-metadata-cache';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

/**
 * The fast path of `plainToInstance` + class-validator (ADR 0011): for a class, once, a plan of what
 * class-transformer does to a plain object (with its default options) and of what class-validator's
 * executor checks (options `whitelist` and `forbidNonWhitelisted`, unknown values forbidden, no groups);
 * then, per value, the same instance built and the same rule functions called, without the lookups,
 * error objects and copies both libraries make on every call.
 *
 * It only ever answers "valid, here is the instance" or "not decided here": an input outside what the
 * plan models (an unknown key, a key class-transformer would skip, a value it would convert, a nested
 * array, a Map, a Date, a class whose transform or validation uses features the plan does not model)
 * and every invalid input go to the libraries themselves, so every refusal and its messages stay
 * theirs. The equivalence spec (`compiled-validation.spec.ts`) holds that an accepted input is one
 * class-validator accepts, with an equal instance.
 */

/**
 * `sync`: as `checkedPayload` validates (`validateSync`: asynchronous rules skipped; unknown values forbidden).
 * `pipe`: as Nest's ValidationPipe validates (`validate`, awaited: a class with an asynchronous rule is not
 * compiled; `forbidUnknownValues: false`, Nest's default).
 */
export type ValidationMode = 'sync' | 'pipe';

type Constructor = new () => object;
/** Any class (class-validator keys its metadata by constructor). */
type AnyClass = abstract new (...args: never[]) => unknown;
type Condition = (object: object, value: unknown) => boolean;
interface Constraint {
  validate(value: unknown, args: unknown): unknown;
}
interface Check {
  metadata: ValidationMetadata;
  instance: Constraint;
}
interface PropertyCheck {
  name: string;
  conditions: Condition[];
  defined: Check[];
  custom: Check[];
  nested: ValidationMetadata[];
}
/** class-validator's `execute` for one constructor and schema name. */
interface CheckPlan {
  /** No rules at all: class-validator refuses the value (`forbidUnknownValues`). */
  unknown: boolean;
  /** Grouped as class-validator groups them: its whitelist test reads this object. */
  grouped: Record<string, ValidationMetadata[]>;
  properties: PropertyCheck[];
}
interface KeyTransform {
  /** class-transformer's @Type metadata of the key, if any. */
  type?: { typeFunction?: (options?: unknown) => unknown; reflectedType?: unknown };
}
/** class-transformer's `plainToInstance` for one class: the keys it copies as they are (or nested). */
interface TransformPlan {
  keys: Map<string, KeyTransform>;
}

const NOT_COMPILED = null;
/** A value outside what the plans model: the caller runs the libraries. */
const OUTSIDE = Symbol('outside');

let transformPlans = new Map<AnyClass, TransformPlan | typeof NOT_COMPILED>();
let checkPlans = new Map<string, Map<AnyClass, CheckPlan | typeof NOT_COMPILED>>();

function forgetPlans(): void {
  transformPlans = new Map();
  checkPlans = new Map();
}
onValidationMetadataChange(forgetPlans);
for (const add of ['addTypeMetadata', 'addTransformMetadata', 'addExposeMetadata', 'addExcludeMetadata'] as const) {
  const original: (metadata: never) => void = defaultMetadataStorage[add].bind(defaultMetadataStorage);
  (defaultMetadataStorage as unknown as Record<string, unknown>)[add] = (metadata: never) => {
    forgetPlans();
    original(metadata);
  };
}

/** Values class-transformer converts, or copies in a way of its own, when they are the target type. */
const CONVERTED_TYPES = new Set<unknown>([String, Number, Boolean, Date, Buffer, Object, Array, Map, Set, Promise]);

/**
 * The instance `plainToInstance(cls, data)` builds, when class-validator accepts it (`mode` as above);
 * otherwise (invalid, or outside what the plan models) undefined: run the libraries for the answer.
 */
export function compiledPayload<T extends object>(cls: new () => T, data: unknown, mode: ValidationMode = 'sync'): T | undefined {
  const verdict = compiledVerdict(cls, data, mode);
  return verdict.verdict === 'valid' ? verdict.instance : undefined;
}

export type CompiledVerdict<T> = { verdict: 'valid'; instance: T } | { verdict: 'invalid' | 'outside' };

/**
 * What the compiled path decides: valid (with the instance), invalid, or outside what it models. The
 * equivalence spec holds each answer against class-transformer and class-validator.
 */
export function compiledVerdict<T extends object>(cls: new () => T, data: unknown, mode: ValidationMode = 'sync'): CompiledVerdict<T> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { verdict: 'outside' };
  const instance = buildInstance(cls, data, cls);
  if (instance === OUTSIDE) return { verdict: 'outside' };
  const verdict = valid(instance, undefined, mode);
  if (verdict === OUTSIDE) return { verdict: 'outside' };
  return verdict ? { verdict: 'valid', instance: instance as T } : { verdict: 'invalid' };
}

function transformPlan(cls: AnyClass): TransformPlan | typeof NOT_COMPILED {
  let plan = transformPlans.get(cls);
  if (plan === undefined) {
    plan = compileTransform(cls);
    transformPlans.set(cls, plan);
  }
  return plan;
}

function compileTransform(cls: AnyClass): TransformPlan | typeof NOT_COMPILED {
  if (typeof cls !== 'function' || CONVERTED_TYPES.has(cls) || !cls.prototype) return NOT_COMPILED;
  const target = cls as Constructor;
  if (defaultMetadataStorage.getStrategy(target) !== 'none') return NOT_COMPILED;
  if (defaultMetadataStorage.getExposedMetadatas(target).length > 0 || defaultMetadataStorage.getExcludedMetadatas(target).length > 0)
    return NOT_COMPILED;
  // Methods or accessors on the prototypes: class-transformer skips such keys; not modelled.
  for (let proto = target.prototype as object; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object) {
    if (Object.getOwnPropertyNames(proto).some((name) => name !== 'constructor')) return NOT_COMPILED;
  }
  let probe: Record<string, unknown>;
  try {
    probe = new target() as Record<string, unknown>;
  } catch {
    return NOT_COMPILED;
  }
  const keys = new Map<string, KeyTransform>();
  // The keys worth copying are those class-validator knows: any other key is refused by the whitelist.
  for (const metadata of getMetadataStorage().getTargetValidationMetadatas(target, undefined as unknown as string, false, false)) {
    const name = metadata.propertyName;
    if (keys.has(name) || name === '__proto__' || name === 'constructor' || name in Object.prototype) continue;
    if (probe[name] instanceof Function) continue; // class-transformer skips the key
    if (defaultMetadataStorage.findTransformMetadatas(target, name, 0 /* PLAIN_TO_CLASS */).length > 0) continue;
    const type = defaultMetadataStorage.findTypeMetadata(target, name) as
      (KeyTransform['type'] & { options?: { discriminator?: unknown } }) | undefined;
    if (type && (type.options?.discriminator || type.reflectedType === Map)) continue;
    keys.set(name, type ? { type } : {});
  }
  return { keys };
}

/** `new cls()` with each key of `data` copied as class-transformer copies it, or OUTSIDE. */
function buildInstance(cls: Constructor, data: object, expected: AnyClass): object | typeof OUTSIDE {
  const proto: unknown = Object.getPrototypeOf(data);
  if (proto !== Object.prototype && proto !== expected.prototype) return OUTSIDE;
  if (typeof (data as { then?: unknown }).then === 'function') return OUTSIDE;
  const plan = transformPlan(cls);
  if (plan === NOT_COMPILED) return OUTSIDE;
  const instance = new cls() as Record<string, unknown>;
  const source = data as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const transform = plan.keys.get(key);
    if (transform === undefined) return OUTSIDE;
    const value = source[key];
    let type: unknown;
    if (transform.type) {
      type = transform.type.typeFunction
        ? transform.type.typeFunction({ newObject: instance, object: source, property: key })
        : transform.type.reflectedType;
    }
    let copied: unknown;
    if (Array.isArray(value)) {
      const arrayType = transform.type?.reflectedType;
      if (arrayType !== undefined && arrayType !== Array) return OUTSIDE;
      const array: unknown[] = [];
      for (let index = 0; index < value.length; index++) {
        if (!(index in value)) return OUTSIDE; // a gap: class-transformer's forEach skips it
        const element: unknown = value[index];
        if (Array.isArray(element)) return OUTSIDE;
        const item = copyValue(element, type);
        if (item === OUTSIDE) return OUTSIDE;
        array.push(item);
      }
      copied = array;
    } else {
      copied = copyValue(value, type);
      if (copied === OUTSIDE) return OUTSIDE;
    }
    instance[key] = copied;
  }
  return instance;
}

function copyValue(value: unknown, type: unknown): unknown {
  if (type !== undefined && (typeof type !== 'function' || CONVERTED_TYPES.has(type))) return OUTSIDE;
  if (value === null || typeof value !== 'object') return value;
  if (type === undefined) return OUTSIDE; // a plain object copied deeply: not modelled
  return buildInstance(type as Constructor, value, type as Constructor);
}

function checkPlan(cls: AnyClass, schema: string | undefined, mode: ValidationMode): CheckPlan | typeof NOT_COMPILED {
  const key = `${mode}\u0000${schema ?? ''}`;
  let forKey = checkPlans.get(key);
  if (!forKey) checkPlans.set(key, (forKey = new Map()));
  let plan = forKey.get(cls);
  if (plan === undefined) {
    plan = compileChecks(cls, schema, mode);
    forKey.set(cls, plan);
  }
  return plan;
}

function compileChecks(cls: AnyClass, schema: string | undefined, mode: ValidationMode): CheckPlan | typeof NOT_COMPILED {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(cls, schema as string, false, false, undefined);
  const grouped = storage.groupByPropertyName(metadatas);
  const checksOf = (list: ValidationMetadata[]): Check[] | typeof NOT_COMPILED => {
    const checks: Check[] = [];
    for (const metadata of list) {
      for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
        if (constraint.async) {
          if (mode === 'sync') continue; // validateSync skips it
          return NOT_COMPILED;
        }
        checks.push({ metadata, instance: constraint.instance });
      }
    }
    return checks;
  };
  const properties: PropertyCheck[] = [];
  for (const name of Object.keys(grouped)) {
    const all = grouped[name];
    const others = all.filter((m) => m.type !== ValidationTypes.IS_DEFINED && m.type !== ValidationTypes.WHITELIST);
    if (
      others.some(
        (m) =>
          m.type !== ValidationTypes.CUSTOM_VALIDATION &&
          m.type !== ValidationTypes.NESTED_VALIDATION &&
          m.type !== ValidationTypes.CONDITIONAL_VALIDATION,
      )
    )
      return NOT_COMPILED; // promise validation, or a type this plan does not know
    const defined = checksOf(all.filter((m) => m.type === ValidationTypes.IS_DEFINED));
    const custom = checksOf(others.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION));
    if (defined === NOT_COMPILED || custom === NOT_COMPILED) return NOT_COMPILED;
    properties.push({
      name,
      conditions: others.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION).map((m) => m.constraints[0] as Condition),
      defined,
      custom,
      nested: others.filter((m) => m.type === ValidationTypes.NESTED_VALIDATION),
    });
  }
  return { unknown: metadatas.length === 0, grouped, properties };
}

/** class-validator's verdict on `object` (ValidationExecutor.execute), or OUTSIDE when its class is not compiled. */
function valid(object: object, schema: string | undefined, mode: ValidationMode): boolean | typeof OUTSIDE {
  const plan = checkPlan(object.constructor as AnyClass, schema, mode);
  if (plan === NOT_COMPILED) return OUTSIDE;
  if (plan.unknown && mode === 'sync') return false; // forbidUnknownValues
  for (const key of Object.keys(object)) {
    const metadatas = plan.grouped[key];
    if (!metadatas || metadatas.length === 0) return false; // forbidNonWhitelisted
  }
  const values = object as Record<string, unknown>;
  for (const property of plan.properties) {
    const value = values[property.name];
    let canValidate = true;
    for (const condition of property.conditions) canValidate = condition(object, value) && canValidate;
    if (!canValidate) continue;
    let verdict = passes(object, value, property.defined, mode);
    if (verdict === true) verdict = passes(object, value, property.custom, mode);
    if (verdict === true && property.nested.length > 0) verdict = nestedValid(value, property.nested, mode);
    if (verdict !== true) return verdict;
  }
  return true;
}

function passes(object: object, value: unknown, checks: Check[], mode: ValidationMode): boolean | typeof OUTSIDE {
  if (checks.length === 0) return true;
  const targetName = object.constructor ? object.constructor.name : undefined;
  for (const { metadata, instance } of checks) {
    const args = { targetName, property: metadata.propertyName, object, value, constraints: metadata.constraints };
    if (!metadata.each || !(Array.isArray(value) || value instanceof Set || value instanceof Map)) {
      const result = instance.validate(value, args);
      if (isPromise(result)) {
        if (mode === 'pipe') return OUTSIDE; // awaited by validate(): not modelled
        continue; // validateSync never waits for it
      }
      if (!result) return false;
      continue;
    }
    const elements: unknown[] = value instanceof Map ? Array.from(value.values()) : Array.isArray(value) ? value : Array.from(value);
    const results = elements.map((element) => instance.validate(element, args));
    if (results.some(isPromise)) {
      if (mode === 'pipe') return OUTSIDE;
      continue;
    }
    if (!results.every((result) => result)) return false;
  }
  return true;
}

function nestedValid(value: unknown, nested: ValidationMetadata[], mode: ValidationMode): boolean | typeof OUTSIDE {
  if (value === undefined) return true;
  for (const metadata of nested) {
    if (Array.isArray(value) || value instanceof Set || value instanceof Map) {
      const elements: unknown[] = value instanceof Set ? Array.from(value) : Array.isArray(value) ? value : Array.from(value.values());
      for (const element of elements) {
        const verdict = nestedValid(element, nested, mode);
        if (verdict !== true) return verdict;
      }
    } else if (value instanceof Object) {
      const verdict = valid(value, typeof metadata.target === 'string' ? metadata.target : metadata.target.name, mode);
      if (verdict !== true) return verdict;
    } else {
      return false;
    }
  }
  return true;
}

function isPromise(value: unknown): boolean {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}
