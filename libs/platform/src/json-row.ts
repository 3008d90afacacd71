import { jsonTime } from '@backbone/contracts';

/** A column of a JSON row: the entity's property it is read from, the key it is written under. */
export interface JsonRowColumn {
  property: string;
  column: string;
}

/**
 * A function that makes an entity's JSON row for a statement that reads rows with
 * `json_populate_recordset`: one key per column, in the order given, from the entity's property; a value
 * that is undefined or null is null, a Date is its JSON text as `toJSON` writes it (`jsonTime`, ADR 0104),
 * and anything else is itself.
 *
 * The function is generated once per column list (`new Function`: the names are quoted with
 * JSON.stringify), and returns an object literal: every row it makes has one hidden class, which
 * JSON.stringify writes by its fast path. An object given its 38 keys one by one, as approval's group write
 * built them, cost several times more to build and to stringify (ADR 0107).
 */
export function jsonRow(columns: JsonRowColumn[]): (entity: object) => Record<string, unknown> {
  const fields = columns.map(({ property, column }) => `${JSON.stringify(column)}: value(entity[${JSON.stringify(property)}])`);
  const make = new Function('value', `return function jsonRow(entity) {\n  return {\n    ${fields.join(',\n    ')}\n  };\n};`) as (
    value: (raw: unknown) => unknown,
  ) => (entity: object) => Record<string, unknown>;
  return make(columnValue);
}

function columnValue(raw: unknown): unknown {
  return raw === undefined || raw === null ? null : raw instanceof Date ? jsonTime(raw) : raw;
}
