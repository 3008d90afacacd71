import { randomUUID } from 'node:crypto';
import { Column, CreateDateColumn, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { createTestDatabase, dropTestDatabase, resolveInfra, TestInfra } from '@backbone/testing';
import { insertRows } from '@backbone/platform';

@Entity('insert_rows_probe')
class Probe {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'int', default: 7 }) rank: number;
  @Column({ type: 'boolean', default: false }) flagged: boolean;
  @Column({ type: 'text', array: true, default: '{}' }) tags: string[];
  @Column({ type: 'jsonb', nullable: true }) detail: { note: string; nested?: number[] } | null;
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true }) dueAt: Date | null;
  // Not idempotent: a transformer applied twice would show.
  @Column({ type: 'text', transformer: { to: (value: string) => `<${value}>`, from: (value: string) => value } }) code: string;
  // A JSON column with a transformer: applied before the value goes into the rows' JSON, as the driver applies it.
  @Column({
    type: 'json',
    nullable: true,
    transformer: {
      to: (value: string[] | null) => (value === null ? null : { items: value }),
      from: (value: { items: string[] } | null) => value?.items ?? null,
    },
  })
  listed: string[] | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** insertRows against real PostgreSQL: the effect of TypeORM's insert, in one statement. */
describe('insertRows', () => {
  let infra: TestInfra;
  let database: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    infra = await resolveInfra();
    database = await createTestDatabase(infra, 'insert_rows');
    dataSource = new DataSource({
      type: 'postgres',
      host: infra.database.host,
      port: infra.database.port,
      username: infra.database.user,
      password: infra.database.password,
      database,
      entities: [Probe],
    });
    await dataSource.initialize();
    await dataSource.query(
      `CREATE TABLE insert_rows_probe (id uuid PRIMARY KEY, name text NOT NULL, rank int NOT NULL DEFAULT 7, flagged boolean NOT NULL DEFAULT false,
         tags text[] NOT NULL DEFAULT '{}', detail jsonb, due_at timestamptz, code text NOT NULL, listed json,
         created_at timestamptz NOT NULL DEFAULT now())`,
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    if (database) await dropTestDatabase(infra, database);
  });

  const probe = (fields: Partial<Probe>) => Object.assign(new Probe(), { id: randomUUID(), code: 'x', ...fields });

  it('writes every column as TypeORM would, defaults for what is left undefined, and returns what the database decided', async () => {
    const dueAt = new Date('2026-12-01T08:30:00.123Z');
    const full = probe({
      name: '连云港 "quoted" \\ back',
      rank: 3,
      flagged: true,
      tags: ['a', 'b,c', '{d}'],
      detail: { note: 'n', nested: [1, 2], at: dueAt } as Probe['detail'],
      dueAt,
      listed: ['一', '"二"'],
    });
    // An invalid date goes in as null, as the rows' JSON.stringify (Date.prototype.toJSON) wrote it.
    const sparse = probe({ name: 'defaults', detail: null, dueAt: new Date(Number.NaN) });
    // The same instant in another Date, and the next millisecond: each instant is written once per statement.
    const same = probe({ name: 'same instant', dueAt: new Date(dueAt.getTime()) });
    const next = probe({ name: 'next instant', dueAt: new Date(dueAt.getTime() + 1) });
    await dataSource.transaction((manager) => insertRows(manager, Probe, [full, sparse, same, next]));

    const rows = await dataSource.getRepository(Probe).find({ order: { name: 'ASC' } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(full.id)).toMatchObject({
      name: full.name,
      rank: 3,
      flagged: true,
      tags: ['a', 'b,c', '{d}'],
      detail: { note: 'n', nested: [1, 2], at: '2026-12-01T08:30:00.123Z' },
      dueAt,
      code: '<x>',
      listed: ['一', '"二"'],
    });
    const [stored] = await dataSource.query<Array<{ listed: string }>>('SELECT listed::text FROM insert_rows_probe WHERE id = $1', [
      full.id,
    ]);
    expect(JSON.parse(stored.listed)).toEqual({ items: ['一', '"二"'] });
    expect(byId.get(sparse.id)).toMatchObject({
      name: 'defaults',
      rank: 7,
      flagged: false,
      tags: [],
      detail: null,
      dueAt: null,
      code: '<x>',
      listed: null,
    });
    expect(byId.get(same.id)?.dueAt).toEqual(dueAt);
    expect(byId.get(next.id)?.dueAt?.toISOString()).toBe('2026-12-01T08:30:00.124Z');
    // Defaults come back into the entities, as after manager.insert.
    expect(sparse.rank).toBe(7);
    expect(sparse.tags).toEqual([]);
    expect(full.createdAt).toBeInstanceOf(Date);
    expect(full.createdAt.getTime()).toBe(byId.get(full.id)?.createdAt.getTime());
  });

  it('reads nothing back when every column is given: no RETURNING, and the given values are the stored ones', async () => {
    const createdAt = new Date('2026-11-30T02:00:00.456Z');
    const given = probe({ name: 'all given', rank: 1, flagged: true, tags: [], detail: null, dueAt: null, listed: null, createdAt });
    const statements: string[] = [];
    const parameters: string[] = [];
    await dataSource.transaction(async (manager) => {
      const query = jest.spyOn(manager, 'query');
      await insertRows(manager, Probe, [given]);
      statements.push(...query.mock.calls.map(([sql]) => sql));
      parameters.push(...query.mock.calls.map(([, values]) => (values as string[])[0]));
    });
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^INSERT INTO/);
    expect(statements[0]).not.toMatch(/RETURNING/);
    // The rows' JSON names every column, in the entity's order, each value as JSON.stringify writes it.
    expect(Object.keys(JSON.parse(parameters[0])[0])).toEqual([
      'id',
      'name',
      'rank',
      'flagged',
      'tags',
      'detail',
      'due_at',
      'code',
      'listed',
      'created_at',
    ]);
    expect(JSON.parse(parameters[0])[0]).toMatchObject({ code: '<x>', detail: null, created_at: '2026-11-30T02:00:00.456Z' });
    const [row] = await dataSource.query<Array<{ created_at: Date; rank: number }>>(
      'SELECT created_at, rank FROM insert_rows_probe WHERE id = $1',
      [given.id],
    );
    expect(row).toEqual({ created_at: createdAt, rank: 1 });
    expect(given.createdAt).toBe(createdAt);
  });

  it('skips rows that conflict when asked, and fails on them otherwise', async () => {
    const first = probe({ name: 'first' });
    await dataSource.transaction((manager) => insertRows(manager, Probe, [first]));
    const again = probe({ id: first.id, name: 'second' });
    const other = probe({ name: 'other' });
    await dataSource.transaction((manager) =>
      insertRows(manager, Probe, [again, other, { ...other, name: 'twice' }], { onConflictDoNothing: true }),
    );
    const names = await dataSource.query(`SELECT name FROM insert_rows_probe WHERE id = ANY($1::uuid[]) ORDER BY name`, [
      [first.id, other.id],
    ]);
    expect(names.map((row: { name: string }) => row.name)).toEqual(['first', 'other']);
    expect(again.createdAt).toBeUndefined();
    await expect(dataSource.transaction((manager) => insertRows(manager, Probe, [probe({ id: first.id, name: 'third' })]))).rejects.toThrow(
      /duplicate key/,
    );
  });
});
