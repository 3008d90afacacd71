import type { Client } from 'pg';

/**
 * What a service's database did, from PostgreSQL's own counters: transactions and rows written
 * (pg_stat_database), and statements executed when pg_stat_statements is loaded (the local stack
 * preloads it; elsewhere the statement count is reported as unknown).
 */
export interface DbCounters {
  transactions: number;
  inserted: number;
  updated: number;
  deleted: number;
  statements?: number;
}

export async function dbCounters(client: Client, database: string): Promise<DbCounters> {
  const { rows } = await client.query(
    `SELECT xact_commit + xact_rollback AS tx, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = $1`,
    [database],
  );
  let statements: number | undefined;
  try {
    const result = await client.query(
      `SELECT coalesce(sum(s.calls), 0) AS n FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1`,
      [database],
    );
    statements = Number(result.rows[0].n);
  } catch {
    statements = undefined;
  }
  return {
    transactions: Number(rows[0]?.tx ?? NaN),
    inserted: Number(rows[0]?.tup_inserted ?? NaN),
    updated: Number(rows[0]?.tup_updated ?? NaN),
    deleted: Number(rows[0]?.tup_deleted ?? NaN),
    statements,
  };
}

/** Rows written per table (pg_stat_user_tables): inserted, updated (of which HOT), deleted. */
export type TableCounters = Map<string, { inserted: number; updated: number; hot: number; deleted: number }>;

/** Read on a connection to the service's own database (pg_stat_user_tables is per database). */
export async function tableCounters(client: Client): Promise<TableCounters> {
  const { rows } = await client.query(
    `SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del FROM pg_stat_user_tables WHERE schemaname = 'public'`,
  );
  return new Map(
    rows.map((r) => [
      String(r.relname),
      { inserted: Number(r.n_tup_ins), updated: Number(r.n_tup_upd), hot: Number(r.n_tup_hot_upd), deleted: Number(r.n_tup_del) },
    ]),
  );
}

/**
 * One line per service: each table that was written, with rows inserted / updated (HOT) / deleted
 * per loop, so a change to the write path can be judged table by table.
 */
export function describeTableWrites(service: string, before: TableCounters, after: TableCounters, loops: number): string {
  const f = (n: number) => (n / loops).toFixed(2).replace(/\.?0+$/, '');
  const parts: string[] = [];
  for (const [table, a] of [...after].sort(([x], [y]) => x.localeCompare(y))) {
    const b = before.get(table) ?? { inserted: 0, updated: 0, hot: 0, deleted: 0 };
    const ins = a.inserted - b.inserted;
    const upd = a.updated - b.updated;
    const hot = a.hot - b.hot;
    const del = a.deleted - b.deleted;
    if (ins + upd + del < loops / 100) continue;
    parts.push(`${table} ${f(ins)}/${f(upd)}${upd ? ` (${f(hot)} HOT)` : ''}/${f(del)}`);
  }
  return `  ${service.padEnd(15)} rows per loop, inserted/updated/deleted: ${parts.join(', ') || 'none'}`;
}

/** Makes pg_stat_statements queryable in a database, if the server preloads it. */
export async function enableStatementCounts(client: Client): Promise<boolean> {
  try {
    await client.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
    await client.query(`SELECT 1 FROM pg_stat_statements LIMIT 1`);
    return true;
  } catch {
    return false;
  }
}

/** One service's cost per loop. */
export interface ServiceBudget {
  service: string;
  transactions: number;
  statements?: number;
  rowsWritten: number;
  kafkaConsumed: number;
  kafkaProduced: number;
  cpuMs: number;
  dbCpuMs: number;
}

export function perLoop(
  service: string,
  before: DbCounters,
  after: DbCounters,
  kafka: { consumed: number; produced: number },
  cpuMs: { service: number; db: number },
  loops: number,
): ServiceBudget {
  const per = (n: number) => n / loops;
  return {
    service,
    transactions: per(after.transactions - before.transactions),
    statements: after.statements !== undefined && before.statements !== undefined ? per(after.statements - before.statements) : undefined,
    rowsWritten: per(after.inserted - before.inserted + after.updated - before.updated + after.deleted - before.deleted),
    kafkaConsumed: per(kafka.consumed),
    kafkaProduced: per(kafka.produced),
    cpuMs: cpuMs.service,
    dbCpuMs: cpuMs.db,
  };
}

export function describeBudget(budgets: ServiceBudget[]): string[] {
  const f = (n: number | undefined, digits = 1) => (n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(digits));
  const total = (pick: (b: ServiceBudget) => number | undefined) =>
    budgets.some((b) => pick(b) === undefined) ? undefined : budgets.reduce((sum, b) => sum + (pick(b) ?? 0), 0);
  const rows = [
    ...budgets.map((b) => ({ name: b.service, ...b })),
    {
      name: 'total',
      transactions: total((b) => b.transactions) ?? NaN,
      statements: total((b) => b.statements),
      rowsWritten: total((b) => b.rowsWritten) ?? NaN,
      kafkaConsumed: total((b) => b.kafkaConsumed) ?? NaN,
      kafkaProduced: total((b) => b.kafkaProduced) ?? NaN,
      cpuMs: total((b) => b.cpuMs) ?? NaN,
      dbCpuMs: total((b) => b.dbCpuMs) ?? NaN,
    },
  ];
  return [
    'per-loop budget   | SQL statements | transactions | rows written | Kafka consumed/produced | CPU ms (service + its postgres)',
    ...rows.map(
      (r) =>
        `  ${r.name.padEnd(15)} | ${f(r.statements).padStart(14)} | ${f(r.transactions).padStart(12)} | ${f(r.rowsWritten).padStart(12)} | ` +
        `${`${f(r.kafkaConsumed)} / ${f(r.kafkaProduced)}`.padStart(23)} | ${f(r.cpuMs + r.dbCpuMs, 2)} (${f(r.cpuMs, 2)} + ${f(r.dbCpuMs, 2)})`,
    ),
  ];
}
