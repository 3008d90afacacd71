import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { ApplyValueTransformers } from 'typeorm/util/ApplyValueTransformers';
import { jsonTime } from '@backbone/contracts';

const JSON_TYPES = new Set(['json', 'jsonb']);

/**
 * Inserts many entities with one statement and one parameter: the rows as a JSON array, turned into
 * the table's row type by PostgreSQL (`json_populate_recordset`: read as written, where jsonb would first
 * build and key-sort a binary copy of every row; 23 % less PostgreSQL CPU per task row, ADR 0093).
 * TypeORM's multi-row `insert` binds every column of every row as its own parameter and looks each one
 * up in a list of the parameters before it (quadratic: a 500-row insert of a 30-column entity cost more
 * CPU than the rest of its transaction); this is linear, and its SQL text is the same for every batch.
 *
 * The effect is that of `manager.insert(target, entities)`: a column left `undefined` takes its
 * default (entities that leave different columns undefined go in one statement per set of columns),
 * values go through the column's transformer and the driver's conversion, and generated or default
 * values come back into the entities (matched by primary key). `onConflictDoNothing`: rows that
 * conflict are skipped (`ON CONFLICT DO NOTHING`, TypeORM's `orIgnore()`).
 */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  entities: T[],
  { onConflictDoNothing = false }: { onConflictDoNothing?: boolean } = {},
): Promise<void> {
  if (entities.length === 0) return;
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const columns = metadata.columns.filter((column) => column.isInsert && !column.isVirtual);
  const plans = columns.map(planOf);
  const primary = metadata.primaryColumns;
  if (primary.length !== 1) throw new Error(`insertRows: ${metadata.tableName} must have one primary column`);
  // Every row of the statement is an object of one shape, made by one constructor that sets every column
  // in order (ADR 0107): V8 gives them one hidden class with in-object properties, which JSON.stringify
  // writes by its fast path. A column left undefined is left out of the JSON by JSON.stringify itself.
  const Row = rowConstructor(columns.map((column) => column.databaseName));
  const primaryIndex = columns.indexOf(primary[0]);
  const groups = new Map<string, { given: ColumnMetadata[]; entities: T[]; rows: object[] }>();
  const jsonDate = jsonDates();
  const values: unknown[] = new Array<unknown>(columns.length);
  const given: boolean[] = new Array<boolean>(columns.length);
  for (const entity of entities) {
    // The columns left out of this row, by index: usually none, so rows of one shape share the key ''.
    let omitted = '';
    for (let index = 0; index < columns.length; index += 1) {
      const column = columns[index];
      const plan = plans[index];
      // As TypeORM's insert: the entity's own value decides whether the column is given; the driver applies
      // the column's transformer (once) and its conversion.
      const value: unknown =
        plan.property === undefined ? column.getEntityValue(entity) : (entity as Record<string, unknown>)[plan.property];
      given[index] = value !== undefined;
      if (value === undefined) {
        omitted += `${index},`;
        values[index] = undefined;
        continue;
      }
      // The driver gives a JSON column as its text (JSON.stringify of the transformed value); inside the
      // rows' JSON array it is the value itself, which the array's JSON.stringify writes the same way:
      // the transformer is applied here and the value not written to text and parsed back (ADR 0034).
      values[index] =
        plan.kind === 'as-is'
          ? value
          : plan.kind === 'json'
            ? jsonValue(value, column)
            : jsonDate(driver.preparePersistentValue(value, column));
    }
    if (!given[primaryIndex]) throw new Error(`insertRows: every ${metadata.tableName} row needs its ${primary[0].databaseName}`);
    let group = groups.get(omitted);
    if (group === undefined) {
      group = { given: columns.filter((_, index) => given[index]), entities: [], rows: [] };
      groups.set(omitted, group);
    }
    group.entities.push(entity);
    group.rows.push(new Row(values));
  }
  const table = driver.escape(metadata.tablePath);
  for (const { given: columnsGiven, entities: grouped, rows } of groups.values()) {
    const names = columnsGiven.map((column) => driver.escape(column.databaseName)).join(', ');
    const taken = new Set(columnsGiven);
    // What the database decides (defaults, generated values) goes back into the entities, as TypeORM's insert does.
    const returned = columns.filter((column) => !taken.has(column) || column.isGenerated);
    const returning = [...new Set([primary[0], ...returned])];
    const result: Record<string, unknown>[] = await manager.query(
      `INSERT INTO ${table} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${table}, $1::json)` +
        `${onConflictDoNothing ? ' ON CONFLICT DO NOTHING' : ''}` +
        `${returned.length > 0 ? ` RETURNING ${returning.map((column) => driver.escape(column.databaseName)).join(', ')}` : ''}`,
      [JSON.stringify(rows)],
    );
    if (returned.length === 0) continue;
    const byPrimary = new Map(result.map((row) => [String(row[primary[0].databaseName]), row]));
    for (const entity of grouped) {
      const row = byPrimary.get(String(primary[0].getEntityValue(entity, true)));
      if (!row) continue; // skipped by ON CONFLICT DO NOTHING
      for (const column of returned) column.setEntityValue(entity, driver.prepareHydratedValue(row[column.databaseName], column));
    }
  }
}

/**
 * A constructor of row objects that sets the given columns, in order, from an array of values: every row
 * it makes has the same hidden class. Generated with `new Function`; the names are quoted with
 * JSON.stringify.
 */
function rowConstructor(names: string[]): new (values: unknown[]) => object {
  const body = names.map((name, index) => `this[${JSON.stringify(name)}] = values[${index}];`).join('\n');
  return new Function('values', body) as unknown as new (values: unknown[]) => object;
}

/** A JSON column's value as the driver would persist it, before its JSON text: the column's transformer applied. */
function jsonValue(value: unknown, column: ColumnMetadata): unknown {
  return column.transformer ? ApplyValueTransformers.transformTo(column.transformer, value) : value;
}

/**
 * Column types the PostgreSQL driver's `preparePersistentValue` returns unchanged when the column has no
 * transformer (none of its conversions names them: those are dates, times, timestamps, JSON, spatial,
 * vector, hstore, simple-array/json, cube, ltree, enum and the Boolean constructor).
 */
const AS_IS_TYPES = new Set(['text', 'uuid', 'int', 'integer', 'smallint', 'bigint', 'boolean', 'varchar', 'character varying']);

interface ColumnPlan {
  /** The entity's property holding the value, for a plain column (no embedded, no relation): read directly. */
  property?: string;
  /** How the value is persisted: as it is, as JSON (see above), or by the driver. */
  kind: 'as-is' | 'json' | 'driver';
}

/**
 * What `getEntityValue` and `preparePersistentValue` do for a column, decided once per statement: for most
 * columns a property read and the value as it is. Both were called for every column of every row, and
 * the driver builds a new array of type names for each call that reaches its JSON test (ADR 0034).
 */
function planOf(column: ColumnMetadata): ColumnPlan {
  const plain = !column.embeddedMetadata && !column.relationMetadata && !column.referencedColumn;
  const type = column.type;
  const kind =
    typeof type === 'string' && JSON_TYPES.has(type)
      ? 'json'
      : !column.transformer && typeof type === 'string' && AS_IS_TYPES.has(type)
        ? 'as-is'
        : 'driver';
  return { property: plain ? column.propertyName : undefined, kind };
}

/**
 * Dates as the rows' JSON.stringify would write them (`Date.prototype.toJSON`: the ISO text, null for an
 * invalid date), written here: JSON.stringify calls toJSON through its slow path, ~2.2 µs a date against
 * ~0.9 µs for toISOString itself, and a task row has several (ADR 0034); `isoString` writes the same text
 * in ~0.3 µs (ADR 0104). The rows of one statement share most of their instants (the batch's `now`, the
 * day's deadline): each is written once per statement.
 */
function jsonDates(): (value: unknown) => unknown {
  const written = new Map<number, string | null>();
  return (value) => {
    if (!(value instanceof Date)) return value;
    const time = value.getTime();
    let text = written.get(time);
    if (text === undefined) {
      text = jsonTime(value);
      written.set(time, text);
    }
    return text;
  };
}
