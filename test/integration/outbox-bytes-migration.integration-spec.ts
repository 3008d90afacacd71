import type { DataSource } from 'typeorm';
import { MESSAGING_MIGRATIONS, type OutboxFollower, OutboxMessagesAsBytes1763800005240 } from '@backbone/messaging';
import { createTestDatabase, dropTestDatabase, resolveInfra, TestInfra, testDataSource } from '@backbone/testing';

/**
 * The outbox migration of ADR 0092 on a database with rows still to publish: a row's followers, written
 * as jsonb before it, are the same messages after it (what the relay parses from the bytes), the view
 * lists every message, and the migration goes back.
 */
describe('the outbox bytes migration on a database with unsent rows', () => {
  let infra: TestInfra;
  let name: string;
  let db: DataSource;
  const before = MESSAGING_MIGRATIONS.slice(0, MESSAGING_MIGRATIONS.indexOf(OutboxMessagesAsBytes1763800005240));

  beforeAll(async () => {
    infra = await resolveInfra();
    name = await createTestDatabase(infra, 'outbox_bytes_migration');
    db = testDataSource(infra, name, before);
    await db.initialize();
  });

  afterAll(async () => {
    await db?.destroy();
    if (name) await dropTestDatabase(infra, name);
  });

  const follower = (id: string, text: string): OutboxFollower => ({
    event_id: id,
    event_type: 'cn.gov.example.claimed.v1',
    topic: 'supervision.tasks',
    message_key: 'k',
    value: JSON.stringify({ id, data: { text } }),
    headers: { ce_id: id },
    correlation_id: 'c-1',
  });

  it('keeps every unsent message, byte for byte, forward and back', async () => {
    await db.runMigrations();
    const followers = [follower('f-1', '苏州"引号"\\反斜杠\u2028😀'), follower('f-2', 'plain')];
    await db.query(
      `INSERT INTO outbox (event_id, event_type, topic, message_key, value, headers, correlation_id, more_messages)
       VALUES ('r-1', 'cn.gov.example.assigned.v1', 'supervision.tasks', 'k', convert_to('{"id":"r-1"}', 'UTF8'), '{"ce_id":"r-1"}', 'c-1', $1),
              ('r-2', 'cn.gov.example.assigned.v1', 'supervision.tasks', 'k', convert_to('{"id":"r-2"}', 'UTF8'), '{"ce_id":"r-2"}', 'c-1', NULL)`,
      [JSON.stringify(followers)],
    );

    Object.assign(db.options, { migrations: MESSAGING_MIGRATIONS.slice(0, before.length + 1) });
    await db.destroy();
    await db.initialize();
    expect(await db.runMigrations()).toHaveLength(1);

    const rows: Array<{ event_id: string; more_messages: Buffer | null }> = await db.query(
      `SELECT event_id, more_messages FROM outbox ORDER BY id`,
    );
    expect(rows.map((row) => row.event_id)).toEqual(['r-1', 'r-2']);
    expect(JSON.parse(rows[0].more_messages!.toString('utf8'))).toEqual(followers);
    expect(rows[1].more_messages).toBeNull();
    const messages: Array<{ event_id: string; position: number; value: Buffer; headers: Record<string, string> }> = await db.query(
      `SELECT event_id, position, value, headers FROM outbox_message ORDER BY id, position`,
    );
    expect(messages.map(({ event_id, position }) => [event_id, position])).toEqual([
      ['r-1', 0],
      ['f-1', 1],
      ['f-2', 2],
      ['r-2', 0],
    ]);
    expect(messages[1].value.toString('utf8')).toBe(followers[0].value);
    expect(messages[1].headers).toEqual({ ce_id: 'f-1' });
    const [{ options }] = await db.query(`SELECT reloptions AS options FROM pg_class WHERE relname = 'outbox'`);
    expect(options).toEqual(['toast_tuple_target=8160']);

    await db.undoLastMigration();
    const [back] = await db.query(`SELECT more_messages FROM outbox WHERE event_id = 'r-1'`);
    expect(back.more_messages).toEqual(followers);
    expect(await db.query(`SELECT count(*)::int AS n FROM outbox_message`)).toEqual([{ n: 4 }]);
  });
});
