import { ApprovalDecidedV1, createEnvelope, Topics, usccCheckCharacter } from '@backbone/contracts';
import { BaseServiceConfig, DomainError, Metrics, ReadinessProbes } from '@backbone/platform';
import type { DataSource, EntityManager } from 'typeorm';
import type { DeadLetterFacts, DeadLetters } from './dead-letters.service';
import { INBOX_BATCH, InboxBatch, InboxContext, InboxItem } from './inbox-context';
import { IncomingMessage, InboxTransport } from './inbox.transport';
import type { KafkaClient } from './kafka.client';
import type { Outbox } from './outbox';

/**
 * The set-based inbox (ADR 0027) without Kafka or PostgreSQL: a fake transaction that keeps what a
 * committed transaction wrote (inbox rows, effects, dead letters) and forgets what a rolled-back one did.
 */
class FakeDatabase {
  inbox = new Set<string>();
  /** What a keeper (ADR 0031) kept, committed. */
  kept = new Set<string>();
  keeperCalls = 0;
  effects: string[] = [];
  deadLetters: Array<{ offset: string; facts: DeadLetterFacts }> = [];
  transactions = 0;

  readonly dataSource = {
    transaction: async <T>(_isolationOrWork: unknown, maybeWork?: (manager: EntityManager) => Promise<T>): Promise<T> => {
      const work = (maybeWork ?? _isolationOrWork) as (manager: EntityManager) => Promise<T>;
      this.transactions++;
      const pending = {
        inbox: new Set<string>(),
        kept: new Set<string>(),
        effects: [] as string[],
        deadLetters: [] as FakeDatabase['deadLetters'],
      };
      const manager = {
        pending,
        query: async (sql: string, params: unknown[]) => {
          if (!sql.includes('INSERT INTO inbox')) throw new Error(`unexpected SQL: ${sql}`);
          const ids = (Array.isArray(params[0]) ? params[0] : [params[0]]) as string[];
          const inserted = ids.filter((id) => !this.inbox.has(id) && !pending.inbox.has(id) && pending.inbox.add(id));
          return inserted.map((event_id) => ({ event_id }));
        },
      };
      const result = await work(manager as unknown as EntityManager);
      pending.inbox.forEach((id) => this.inbox.add(id));
      pending.kept.forEach((id) => this.kept.add(id));
      this.effects.push(...pending.effects);
      this.deadLetters.push(...pending.deadLetters);
      return result;
    },
  };

  /** A keeper of consumed events, in the transaction's pending rows: returns the ids it kept now. */
  readonly keeper = async (manager: EntityManager, envelopes: Array<{ id: string }>): Promise<string[]> => {
    this.keeperCalls++;
    const pending = (manager as unknown as { pending: { kept: Set<string> } }).pending;
    return envelopes.map(({ id }) => id).filter((id) => !this.kept.has(id) && !pending.kept.has(id) && pending.kept.add(id));
  };

  readonly deadLetterStore = {
    record: async (manager: EntityManager, message: IncomingMessage, facts: DeadLetterFacts) => {
      (manager as unknown as { pending: { deadLetters: FakeDatabase['deadLetters'] } }).pending.deadLetters.push({
        offset: message.offset,
        facts,
      });
    },
  };
}

const effect = (context: InboxContext | InboxBatch, what: string) =>
  (context.manager as unknown as { pending: { effects: string[] } }).pending.effects.push(what);

const USCC = `91320700MA1XXXXX0${usccCheckCharacter('91320700MA1XXXXX0')}`;

function decided(entityName: string) {
  const data: ApprovalDecidedV1 = {
    approvalId: crypto.randomUUID(),
    version: 1,
    uscc: USCC,
    entityName,
    itemCode: 'FOOD-BUSINESS-LICENCE',
    regionCode: '320703',
    approverDepartment: '320700-APPROVAL',
    kind: 'licence',
    outcome: 'granted',
    decidedAt: new Date().toISOString(),
  };
  return createEnvelope(ApprovalDecidedV1, { source: '/tests', subject: data.uscc, data, correlationId: crypto.randomUUID() });
}

const messages = (envelopes: Array<ReturnType<typeof decided>>, partition = 0): IncomingMessage[] =>
  envelopes.map((envelope, offset) => ({
    topic: Topics.ApprovalEvents,
    partition,
    offset: String(offset),
    key: envelope.subject,
    value: Buffer.from(JSON.stringify(envelope)),
  }));

describe('InboxTransport: batch handlers and their fallback to one message at a time', () => {
  let db: FakeDatabase;
  let transport: InboxTransport;
  /** The item counts of the batch handler's calls, in order. */
  let calls: number[];
  /** Errors the handler throws, by entity name, while the function says so. */
  let faults: Map<string, () => Error | undefined>;
  /** The topic recorded at write time (Outbox.recordOwnEvents), none unless a test sets it. */
  let ownTopic: string | undefined;

  beforeEach(() => {
    db = new FakeDatabase();
    calls = [];
    faults = new Map();
    ownTopic = undefined;
    const config = Object.assign(new BaseServiceConfig(), {
      CONSUMER_MAX_ATTEMPTS: 3,
      CONSUMER_BACKOFF_MS: 1,
      CONSUMER_TRANSACTIONS: 1,
      // Chunks of 4 messages or more count as large (a backlog's): each has a transaction of its own.
      CONSUMER_CHUNK_SIZE: 8,
    });
    const outbox = { recordedAtWrite: (topic: string) => topic === ownTopic } as unknown as Outbox;
    transport = new InboxTransport(
      db.dataSource as unknown as DataSource,
      {} as KafkaClient,
      outbox,
      db.deadLetterStore as unknown as DeadLetters,
      config,
      new Metrics(),
      new ReadinessProbes({ query: async () => [] } as unknown as DataSource),
    );
    const handler = async (items: InboxItem<ApprovalDecidedV1>[], batch: InboxBatch) => {
      calls.push(items.length);
      for (const { payload } of items) {
        const fault = faults.get(payload.entityName)?.();
        if (fault) throw fault;
        effect(batch, payload.approvalId);
      }
    };
    transport.addHandler(ApprovalDecidedV1.type, handler, true, { [INBOX_BATCH]: ApprovalDecidedV1.type });
  });

  it('hands consecutive messages of its types to a batch handler in one call, in one transaction', async () => {
    const events = [1, 2, 3, 4, 5].map((i) => decided(`entity ${i}`));
    await transport.applyMany(messages(events));
    expect(calls).toEqual([5]);
    expect(db.transactions).toBe(1);
    expect(db.effects).toEqual(events.map((event) => event.data.approvalId));
  });

  it('drops duplicates before the batch: an event twice in a chunk, or applied before, reaches the handler once', async () => {
    const [a, b] = [decided('a'), decided('b')];
    await transport.applyMany(messages([a]));
    await transport.applyMany(messages([a, b, b, a]));
    expect(calls).toEqual([1, 1]);
    expect(db.effects).toEqual([a.data.approvalId, b.data.approvalId]);
  });

  it('a handler failure in a batch: the chunk goes again one message at a time, and only the failing one is dead-lettered', async () => {
    const events = ['ok 1', 'ok 2', 'POISON', 'ok 3', 'ok 4'].map(decided);
    faults.set('POISON', () => new DomainError('PROBE_RULE_BROKEN', 'the probe refuses this one'));
    await transport.applyMany(messages(events));
    expect(calls[0]).toBe(5);
    expect(db.effects.sort()).toEqual(
      events
        .filter((_, i) => i !== 2)
        .map((event) => event.data.approvalId)
        .sort(),
    );
    expect(db.deadLetters).toEqual([{ offset: '2', facts: expect.objectContaining({ kind: 'failed', attempts: 1 }) }]);
    expect(db.deadLetters[0].facts.reason).toContain('PROBE_RULE_BROKEN');
    // After the poison, the rest goes back to batches.
    expect(calls[calls.length - 1]).toBe(2);
  });

  it('a transient failure of a handler counts its attempts, and dead-letters the message after the last one only', async () => {
    const events = ['ok 1', 'FLAKY', 'ok 2'].map(decided);
    faults.set('FLAKY', () => new Error('the handler failed'));
    await transport.applyMany(messages(events));
    expect(db.deadLetters).toEqual([{ offset: '1', facts: expect.objectContaining({ kind: 'failed', attempts: 3 }) }]);
    // It parsed: the dead letter names its event (the console's health page shows the type).
    expect(db.deadLetters[0].facts.envelope).toMatchObject({ id: events[1].id, type: events[1].type });
    expect(db.effects.sort()).toEqual([events[0], events[2]].map((event) => event.data.approvalId).sort());
  });

  it('an outage during a batch (serialization failure, connection lost) is no attempt: nothing is dead-lettered', async () => {
    const events = ['ok 1', 'RACE', 'ok 2'].map(decided);
    let failures = 0;
    // Fails more often than CONSUMER_MAX_ATTEMPTS: counted as attempts, it would be dead-lettered.
    faults.set('RACE', () => (failures++ < 5 ? Object.assign(new Error('could not serialize access'), { code: '40001' }) : undefined));
    await transport.applyMany(messages(events));
    expect(db.deadLetters).toEqual([]);
    expect(db.effects.sort()).toEqual(events.map((event) => event.data.approvalId).sort());
  });

  it('a batch handler gets a message alone as a batch of one', async () => {
    await transport.applyMany(messages([decided('alone')]));
    expect(calls).toEqual([1]);
    expect(db.effects).toHaveLength(1);
  });

  it('applies chunks of several partitions in hand at once in one transaction, runs of one handler across them', async () => {
    const [a, b, c] = [0, 1, 2].map((partition) => [1, 2].map((i) => decided(`p${partition} ${i}`)));
    await Promise.all([transport.applyMany(messages(a, 0)), transport.applyMany(messages(b, 1)), transport.applyMany(messages(c, 2))]);
    expect(db.transactions).toBe(1);
    expect(calls).toEqual([6]);
    expect(db.effects).toHaveLength(6);
  });

  it('gives a large chunk (half CONSUMER_CHUNK_SIZE or more, a backlog) a transaction of its own', async () => {
    const [a, b, c] = [0, 1, 2].map((partition) => [1, 2, 3, 4].map((i) => decided(`p${partition} ${i}`)));
    await Promise.all([transport.applyMany(messages(a, 0)), transport.applyMany(messages(b, 1)), transport.applyMany(messages(c, 2))]);
    expect(db.transactions).toBe(3);
    expect(calls).toEqual([4, 4, 4]);
    expect(db.effects).toHaveLength(12);
  });

  it('a group that fails goes again chunk by chunk: the other partitions are applied, only the poison is dead-lettered', async () => {
    const healthy = [decided('ok 1'), decided('ok 2')];
    const poisoned = [decided('ok 3'), decided('POISON')];
    faults.set('POISON', () => new DomainError('PROBE_RULE_BROKEN', 'the probe refuses this one'));
    await Promise.all([transport.applyMany(messages(healthy, 0)), transport.applyMany(messages(poisoned, 1))]);
    expect(db.deadLetters).toEqual([{ offset: '1', facts: expect.objectContaining({ kind: 'failed', attempts: 1 }) }]);
    expect(db.effects.sort()).toEqual([...healthy, poisoned[0]].map((event) => event.data.approvalId).sort());
  });

  describe('with a keeper of consumed events (ADR 0031)', () => {
    beforeEach(() => transport.keepEventsWith(db.keeper));

    it('keeps a chunk in one call as its dedup record, writes no inbox row, and applies a redelivery once', async () => {
      const events = [1, 2, 3].map((i) => decided(`entity ${i}`));
      await transport.applyMany(messages(events));
      await transport.applyMany(messages([events[1], events[2], decided('new')]));
      expect(db.keeperCalls).toBe(2);
      expect(db.inbox.size).toBe(0);
      expect(db.kept.size).toBe(4);
      expect(calls).toEqual([3, 1]);
      expect(db.effects).toHaveLength(4);
    });

    it('keeps nothing of a chunk that failed: the poison is the only dead letter and is not kept, the others are kept once', async () => {
      const events = ['ok 1', 'POISON', 'ok 2'].map(decided);
      faults.set('POISON', () => new DomainError('PROBE_RULE_BROKEN', 'the probe refuses this one'));
      await transport.applyMany(messages(events));
      expect(db.deadLetters.map(({ offset }) => offset)).toEqual(['1']);
      expect([...db.kept].sort()).toEqual([events[0].id, events[2].id].sort());
      expect(db.effects.sort()).toEqual([events[0], events[2]].map((event) => event.data.approvalId).sort());
    });

    it('keeps an event applied alone (after a failure) too, and a redelivery of it is a duplicate', async () => {
      const [flaky] = ['FLAKY'].map(decided);
      let failures = 0;
      faults.set('FLAKY', () => (failures++ < 1 ? new Error('the handler failed once') : undefined));
      await transport.applyMany(messages([flaky]));
      await transport.applyMany(messages([flaky]));
      expect([...db.kept]).toEqual([flaky.id]);
      expect(db.effects).toEqual([flaky.data.approvalId]);
      expect(db.inbox.size).toBe(0);
    });

    it("a topic recorded at write time keeps its inbox rows: the keeper's table already holds the service's own events", async () => {
      ownTopic = Topics.ApprovalEvents;
      const events = [decided('own 1'), decided('own 2')];
      await transport.applyMany(messages(events));
      expect(db.keeperCalls).toBe(0);
      expect([...db.inbox].sort()).toEqual(events.map((event) => event.id).sort());
      expect(db.effects).toHaveLength(2);
    });
  });
});
