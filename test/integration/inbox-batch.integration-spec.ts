import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ApprovalDecidedV1, Envelope, Topics } from '@backbone/contracts';
import { DomainError } from '@backbone/platform';
import { decidedApprovalEvent, InProcessService, waitFor } from '@backbone/testing';
import { InboxBatch, InboxBatchPattern, InboxItem } from '@backbone/messaging';
import { startProbeService } from './probe-service';

/** The item counts of the batch handler's calls. */
const calls: number[] = [];
/** Serialization failures still to throw, per approval id. */
const races = new Map<string, number>();

@Controller()
class BatchProbe {
  @InboxBatchPattern(ApprovalDecidedV1.type)
  async handle(@Payload() items: InboxItem<ApprovalDecidedV1>[], @Ctx() batch: InboxBatch) {
    calls.push(items.length);
    for (const { payload } of items) {
      if (payload.entityName === 'FAIL-RULE') throw new DomainError('PROBE_RULE_BROKEN', 'the probe refuses this one');
      const left = races.get(payload.approvalId) ?? 0;
      if (left > 0) {
        races.set(payload.approvalId, left - 1);
        throw Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' });
      }
    }
    // One statement for the whole batch; no unique constraint: an event applied twice would show as two rows.
    await batch.manager.query(`INSERT INTO probe_effect (event_id, approval_id) SELECT * FROM unnest($1::text[], $2::uuid[])`, [
      items.map(({ context }) => context.envelope.id),
      items.map(({ payload }) => payload.approvalId),
    ]);
  }
}

describe('set-based inbox (batch handlers) against real Kafka and PostgreSQL', () => {
  let service: InProcessService;
  let dataSource: DataSource;
  let producer: Producer;
  let namespace: string;

  beforeAll(async () => {
    service = await startProbeService('a service with one batch handler, for the messaging tests', {
      controllers: [BatchProbe],
      env: { CONSUMER_MAX_ATTEMPTS: '3', CONSUMER_BACKOFF_MS: '50' },
    });
    ({ dataSource, namespace } = service);
    await dataSource.query(`CREATE TABLE probe_effect (event_id text NOT NULL, approval_id uuid NOT NULL)`);
    producer = service.kafka().producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await service?.stop();
  });

  const decided = decidedApprovalEvent;

  /** One key, one partition, one send: the events arrive in one Kafka batch, in this order. */
  const send = (events: Envelope<ApprovalDecidedV1>[]) =>
    producer.send({
      topic: `${namespace}.${Topics.ApprovalEvents}`,
      messages: events.map((event) => ({ key: event.subject, value: JSON.stringify(event) })),
    });

  const effectsOf = async (events: Envelope<ApprovalDecidedV1>[]): Promise<number[]> => {
    const rows: Array<{ approval_id: string; n: number }> = await dataSource.query(
      `SELECT approval_id, count(*)::int AS n FROM probe_effect WHERE approval_id = ANY($1::uuid[]) GROUP BY approval_id`,
      [events.map((event) => event.data.approvalId)],
    );
    const counts = new Map(rows.map((row) => [row.approval_id, row.n]));
    return events.map((event) => counts.get(event.data.approvalId) ?? 0);
  };

  /** The dead letters of these events (found by their ids in the stored value), with the offset each came from. */
  const deadLettersOf = (events: Envelope<ApprovalDecidedV1>[]): Promise<Array<{ offset: string; attempts: number; reason: string }>> =>
    dataSource.query(
      `SELECT "offset", attempts, reason FROM dead_letter d
       WHERE EXISTS (SELECT FROM unnest($1::text[]) AS id WHERE position(convert_to(id, 'UTF8') in d.value) > 0)`,
      [events.map((event) => event.id)],
    );

  it("applies a partition's consecutive events in one call of the batch handler, each once", async () => {
    const events = Array.from({ length: 30 }, () => decided(515_151));
    calls.length = 0;
    await send(events);
    await waitFor('every effect', async () => (await effectsOf(events)).every((n) => n === 1));
    expect(Math.max(...calls)).toBeGreaterThan(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await effectsOf(events)).toEqual(events.map(() => 1));
  });

  it('a chunk with one poison message dead-letters only that one; the others are applied once', async () => {
    const events = [0, 1, 2, 3, 4, 5].map((i) => decided(525_252, i === 3 ? { entityName: 'FAIL-RULE' } : {}));
    await send(events);
    const [letter] = await waitFor('the dead letter of the poison', async () => {
      const rows = await deadLettersOf(events);
      return rows.length > 0 ? rows : undefined;
    });
    const [{ offset: firstOffset }] = await dataSource.query(`SELECT min("offset") AS offset FROM inbox WHERE event_id = $1`, [
      events[0].id,
    ]);
    expect(Number(letter.offset)).toBe(Number(firstOffset) + 3);
    expect(letter.attempts).toBe(1);
    expect(letter.reason).toContain('PROBE_RULE_BROKEN');
    await waitFor('the others', async () => (await effectsOf(events)).filter((n) => n === 1).length === 5);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await effectsOf(events)).toEqual([1, 1, 1, 0, 1, 1]);
    expect(await deadLettersOf(events)).toHaveLength(1);
  });

  it('drops duplicates: copies in one batch and a later redelivery of the same events are applied once', async () => {
    const [twice, once] = [decided(535_353), decided(535_353)];
    await send([twice, twice, once, twice]);
    await waitFor('both effects', async () => (await effectsOf([twice, once])).every((n) => n === 1));
    // The whole lot again (a producer retry, a relay that published twice): nothing changes.
    await send([once, twice, once]);
    const marker = decided(535_353);
    await send([marker]);
    await waitFor('the marker sent after the redelivery', async () => (await effectsOf([marker]))[0] === 1);
    expect(await effectsOf([twice, once])).toEqual([1, 1]);
    const [inbox] = await dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1)`, [[twice.id, once.id]]);
    expect(inbox.n).toBe(2);
  });

  it('exactly once through an outage in a batch: a serialization failure rolls the batch back, is no attempt, and each event is applied once', async () => {
    const events = Array.from({ length: 8 }, () => decided(545_454));
    // More failures than CONSUMER_MAX_ATTEMPTS (3): counted as attempts, the event would be dead-lettered.
    races.set(events[4].data.approvalId, 5);
    await send(events);
    await waitFor('every effect', async () => (await effectsOf(events)).every((n) => n === 1), { timeoutMs: 60_000 });
    expect(races.get(events[4].data.approvalId)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await effectsOf(events)).toEqual(events.map(() => 1));
    expect(await deadLettersOf(events)).toEqual([]);
  });
});
