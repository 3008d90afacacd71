import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Admin, Consumer } from 'kafkajs';
import { ApprovalDecidedV1 } from '@backbone/contracts';
import { decidedApproval, InProcessService, waitFor } from '@backbone/testing';
import { InboxContext, InboxTransport } from '@backbone/messaging';
import { startProbeService } from './probe-service';

/** Resolves the handlers that wait (a chunk in flight), when the test lets them go. */
let release: () => void = () => undefined;
const released = new Promise<void>((resolve) => (release = resolve));

@Controller()
class SlowHandler {
  @EventPattern(ApprovalDecidedV1.type)
  async handle(@Payload() event: ApprovalDecidedV1, @Ctx() context: InboxContext) {
    if (event.entityName === 'SLOW') await released;
    // No unique constraint: an event applied twice would show as two rows.
    await context.manager.query(`INSERT INTO probe_effect (event_id, approval_id) VALUES ($1, $2)`, [
      context.envelope.id,
      event.approvalId,
    ]);
  }
}

/**
 * A graceful stop hands the work over at once (ADR 0014): the instance stops fetching, abandons the
 * chunk it is applying (rolled back, offsets not committed) and leaves the consumer group, before the
 * rest of the app closes; the other instance takes the partition over and applies the chunk once.
 */
describe('a graceful stop while a chunk is in flight', () => {
  let first: InProcessService;
  let second: InProcessService;
  let admin: Admin;
  /** Far longer than the test: a member that did not leave would hold its partitions for all of it. */
  const SESSION_MS = '120000';

  beforeAll(async () => {
    first = await startProbeService('a service with a handler that waits, for the graceful stop', {
      controllers: [SlowHandler],
      env: { CONSUMER_SESSION_TIMEOUT_MS: SESSION_MS, CONSUMER_STUCK_MS: '200', TOPIC_PARTITIONS: '1' },
    });
    await first.dataSource.query(`CREATE TABLE probe_effect (event_id text NOT NULL, approval_id uuid NOT NULL)`);
    second = await first.startReplica();
    admin = first.kafka().admin();
    await admin.connect();
  });

  afterAll(async () => {
    release();
    await admin?.disconnect();
    await second?.close();
    await first?.stop();
  });

  const members = async () => {
    const [group] = (await admin.describeGroups([`${first.namespace}.probe`])).groups;
    return group.state === 'Stable' ? group.members.length : -1;
  };
  const stuckAt = (instance: InProcessService) => instance.app.get(InboxTransport).consumerProblem();

  it('leaves the group without finishing the chunk; the other instance takes it over and applies it once', async () => {
    await waitFor('both instances in the group', async () => (await members()) === 2, { timeoutMs: 120_000, intervalMs: 250 });
    const data = decidedApproval(1, { entityName: 'SLOW' });
    const slow = await first.publish(ApprovalDecidedV1, data, data.uscc);

    // One partition: one instance holds it, and its chunk waits in the handler (its transaction open).
    const holder = await waitFor('an instance applying the slow event', async () =>
      stuckAt(first) ? first : stuckAt(second) ? second : undefined,
    );
    const other = holder === first ? second : first;
    expect(stuckAt(holder)).toMatch(/^stuck on .*\/0@0 for \d+ s$/);

    // The stop, while the handler still waits: the holder leaves the group now, and the other instance
    // takes the partition over at the same offset (the abandoned chunk was not committed).
    const stopped = holder.close();
    await waitFor('the group without the stopped instance', async () => (await members()) === 1, { timeoutMs: 60_000, intervalMs: 100 });
    await waitFor('the other instance on the same message', async () => /\/0@0 for /.test(stuckAt(other) ?? ''), {
      timeoutMs: 60_000,
      intervalMs: 100,
    });

    // Once the handlers may go on, the abandoned chunk is rolled back and the other instance applies the event once.
    release();
    await stopped;
    const count = async (sql: string) => (await other.dataSource.query<{ n: number }[]>(sql, [slow.id]))[0].n;
    await waitFor('the event applied by the other instance', async () =>
      (await count(`SELECT count(*)::int AS n FROM probe_effect WHERE event_id = $1`)) === 1 ? true : undefined,
    );
    await waitFor('the other instance done with the partition', async () => stuckAt(other) === undefined);
    const effects = await count(`SELECT count(*)::int AS n FROM probe_effect WHERE event_id = $1`);
    const inbox = await count(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`);
    const deadLetters = await count(`SELECT count(*)::int AS n FROM dead_letter WHERE event_id = $1`);
    expect([effects, inbox, deadLetters]).toEqual([1, 1, 0]);
  });
});

/**
 * A stop while the group is rebalancing (ADR 0017): kafkajs's `disconnect()` waits for the JoinGroup in
 * flight, which the broker answers only once every member has joined again. Here a member that does
 * not (a plain kafkajs consumer busy in its batch, without heartbeats, with a session far longer than the
 * test) keeps the join open; the stopping instance must leave anyway, and not come back when the join
 * completes.
 */
describe('a graceful stop while the group is rebalancing', () => {
  let first: InProcessService;
  let second: Promise<InProcessService> | undefined;
  let admin: Admin;
  let blocker: Consumer;
  let letBlockerGo: () => void = () => undefined;
  const blockerMayGo = new Promise<void>((resolve) => (letBlockerGo = resolve));
  /** Far longer than the test: the busy member neither heartbeats nor is dropped while it holds the join. */
  const SESSION_MS = 120_000;

  beforeAll(async () => {
    first = await startProbeService('a service stopped while its group rebalances', {
      controllers: [SlowHandler],
      env: { CONSUMER_SESSION_TIMEOUT_MS: String(SESSION_MS), TOPIC_PARTITIONS: '2' },
    });
    await first.dataSource.query(`CREATE TABLE probe_effect (event_id text NOT NULL, approval_id uuid NOT NULL)`);
    admin = first.kafka().admin();
    await admin.connect();
  }, 300_000);

  afterAll(async () => {
    letBlockerGo();
    await blocker?.disconnect().catch(() => undefined);
    await admin?.disconnect();
    await (await second?.catch(() => undefined))?.close();
    await first?.stop();
  });

  const group = () => `${first.namespace}.probe`;
  const describeGroup = async () => (await admin.describeGroups([group()])).groups[0];

  it('leaves at once, does not come back when the join completes, and its partitions are applied once by the others', async () => {
    const transport = first.app.get(InboxTransport);
    const consumer = transport.unwrap<Consumer>();
    let memberId = '';
    let rebalancing = false;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => ((memberId = payload.memberId), (rebalancing = false)));
    consumer.on(consumer.events.REBALANCING, () => (rebalancing = true));
    await waitFor('the instance in the group', async () => (await describeGroup()).state === 'Stable', {
      timeoutMs: 120_000,
      intervalMs: 250,
    });

    // A member that gets a batch and keeps it, without heartbeats: it learns of the next rebalance only
    // when its batch ends, and the broker holds every JoinGroup until then.
    let blocked = false;
    blocker = first.kafka().consumer({ groupId: group(), sessionTimeout: SESSION_MS, heartbeatInterval: 1000 });
    await blocker.connect();
    await blocker.subscribe({ topic: first.topic(ApprovalDecidedV1.topic), fromBeginning: true });
    await blocker.run({
      autoCommit: false,
      eachBatch: async () => {
        blocked = true;
        await blockerMayGo;
      },
    });
    await waitFor(
      'the instance and the blocker sharing the partitions',
      async () => {
        const { state, members } = await describeGroup();
        return state === 'Stable' && members.length === 2 && !rebalancing;
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    const events = [];
    // Keyed by 32 subjects: both partitions get some (all on one would be a chance of 2 in 2^32).
    for (let n = 1; n <= 32; n++) {
      const data = decidedApproval(n);
      events.push(await first.publish(ApprovalDecidedV1, data, data.uscc));
    }
    await waitFor('the blocker holding a batch', () => blocked, { timeoutMs: 60_000 });

    // A second instance joins: the group rebalances, and the first instance's JoinGroup waits for the blocker.
    second = first.startReplica();
    second.catch(() => undefined);
    // A generous bound: under load an in-process instance can take a minute and more to start.
    await waitFor('the first instance joining again', () => rebalancing, { timeoutMs: 240_000 });
    await waitFor('the group rebalancing', async () => (await describeGroup()).state === 'PreparingRebalance', { timeoutMs: 60_000 });

    // The stop ends while the join is still open (the blocker still holds its batch): before, it waited
    // for the blocker's session (120 s). The bound is a hang detector only.
    const stopped = await Promise.race([
      transport.close().then(() => 'left' as const),
      new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 45_000).unref()),
    ]);
    expect(stopped).toBe('left');
    expect(blocked).toBe(true);

    // The blocker lets go and stops: the second instance alone takes every partition; the first did
    // not come back into the group when the join it had left completed.
    letBlockerGo();
    await blocker.disconnect();
    const replica = await second;
    await waitFor(
      'the second instance alone in the group',
      async () => {
        const { state, members } = await describeGroup();
        return state === 'Stable' && members.length === 1 && members[0].memberId !== memberId;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const ids = events.map((event) => event.id);
    const count = async (table: string) =>
      (await replica.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table} WHERE event_id = ANY($1)`, [ids]))[0].n;
    await waitFor('every event applied', async () => (await count('probe_effect')) === ids.length, { timeoutMs: 60_000 });
    expect([await count('probe_effect'), await count('inbox'), await count('dead_letter')]).toEqual([ids.length, ids.length, 0]);
  }, 600_000);
});
