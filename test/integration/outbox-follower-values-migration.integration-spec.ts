import type { DataSource } from 'typeorm';
import {
  followersText,
  MESSAGING_MIGRATIONS,
  type OutboxFollower,
  OutboxFollowerValuesAsBytes1763800005280,
  readFollowers,
} from '@backbone/messaging';
import { createTestDatabase, dropTestDatabase, resolveInfra, TestInfra, testDataSource } from '@backbone/testing';

/**
 * The migration of ADR 0109 on a database with rows still to publish. `outbox_message` lists the messages
 * of rows in both forms: ones written before it (or by a replica not yet upgraded) and ones written after.
 * Going back writes the new rows in the old form, which the relay still reads as the same messages.
 */
describe('the outbox follower values migration on a database with unsent rows', () => {
  let infra: TestInfra;
  let name: string;
  let db: DataSource;
  const upTo = MESSAGING_MIGRATIONS.indexOf(OutboxFollowerValuesAsBytes1763800005280);

  beforeAll(async () => {
    infra = await resolveInfra();
    name = await createTestDatabase(infra, 'outbox_follower_values_migration');
    db = testDataSource(infra, name, MESSAGING_MIGRATIONS.slice(0, upTo));
    await db.initialize();
  });

  afterAll(async () => {
    await db?.destroy();
    if (name) await dropTestDatabase(infra, name);
  });

  const text = '苏州"引号"\\反斜杠\n\u2028😀';
  const value = (id: string) => JSON.stringify({ id, data: { text } });
  const oldForm = (ids: string[]): string =>
    JSON.stringify(
      ids.map((id): OutboxFollower => ({
        event_id: id,
        event_type: 'cn.gov.example.claimed.v1',
        topic: 'supervision.tasks',
        message_key: `k-${id}`,
        value: value(id),
        headers: { ce_id: id },
        correlation_id: 'c-1',
      })),
    );
  const newForm = (ids: string[]): Buffer =>
    Buffer.from(
      followersText(
        ids.map((id) => ({
          eventId: id,
          eventType: 'cn.gov.example.claimed.v1',
          topic: 'supervision.tasks',
          key: `k-${id}`,
          headers: { ce_id: id },
          correlationId: 'c-1',
        })),
        ids.map(value),
      ),
    );
  const insert = (id: string, more: Buffer | null) =>
    db.query(
      `INSERT INTO outbox (event_id, event_type, topic, message_key, value, headers, correlation_id, more_messages)
       VALUES ($1, 'cn.gov.example.assigned.v1', 'supervision.tasks', $2, convert_to($3, 'UTF8'), $4, 'c-1', $5)`,
      [id, `k-${id}`, value(id), JSON.stringify({ ce_id: id }), more],
    );
  interface Listed {
    event_id: string;
    position: number;
    message_key: string;
    value: Buffer;
    headers: Record<string, string>;
  }
  const listed = async () => {
    const messages: Listed[] = await db.query(
      `SELECT event_id, position, message_key, value, headers FROM outbox_message ORDER BY id, position`,
    );
    return messages.map((m) => [m.event_id, m.position, m.message_key, m.value.toString('utf8'), m.headers]);
  };
  const expected = (rows: Array<[string, string[]]>) =>
    rows.flatMap(([id, followers]) => [
      [id, 0, `k-${id}`, value(id), { ce_id: id }],
      ...followers.map((f, i) => [f, i + 1, `k-${f}`, value(f), { ce_id: f }]),
    ]);

  it('lists the messages of rows in either form, and goes back without changing one', async () => {
    await db.runMigrations();
    await insert('r-old', Buffer.from(oldForm(['o-1', 'o-2'])));
    await insert('r-alone', null);

    Object.assign(db.options, { migrations: MESSAGING_MIGRATIONS.slice(0, upTo + 1) });
    await db.destroy();
    await db.initialize();
    expect(await db.runMigrations()).toHaveLength(1);
    await insert('r-new', newForm(['n-1', 'n-2', 'n-3']));

    const rows = [
      ['r-old', ['o-1', 'o-2']],
      ['r-alone', []],
      ['r-new', ['n-1', 'n-2', 'n-3']],
    ] as Array<[string, string[]]>;
    expect(await listed()).toEqual(expected(rows));

    await db.undoLastMigration();
    expect(await listed()).toEqual(expected(rows));
    const [back]: Array<{ more_messages: Buffer }> = await db.query(`SELECT more_messages FROM outbox WHERE event_id = 'r-new'`);
    // the old form: JSON only, no line feed, and the relay reads the same messages from it
    expect(back.more_messages.indexOf(0x0a)).toBe(-1);
    expect(readFollowers(back.more_messages)).toEqual(readFollowers(newForm(['n-1', 'n-2', 'n-3'])));
  });
});
