import { Controller, DynamicModule, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Admin } from 'kafkajs';
import { ApprovalDecidedV1 } from '@backbone/contracts';
import { BaseServiceConfig, loadConfig, PlatformModule } from '@backbone/platform';
import { decidedApproval, InProcessService, waitFor } from '@backbone/testing';
import { InboxContext, InboxTransport, MESSAGING_ENTITIES, MESSAGING_MIGRATIONS, MessagingModule } from '@backbone/messaging';

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

class ProbeConfig extends BaseServiceConfig {}

@Module({})
class SlowProbeModule {
  static forRoot(config: ProbeConfig): DynamicModule {
    return {
      module: SlowProbeModule,
      imports: [
        PlatformModule.forRoot({ service: 'probe', config, entities: MESSAGING_ENTITIES, migrations: MESSAGING_MIGRATIONS }),
        MessagingModule,
      ],
      controllers: [SlowHandler],
    };
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
    first = await InProcessService.start({
      service: { name: 'probe', title: 'Probe', description: 'a service with a handler that waits, for the graceful stop' },
      loadConfig: (env) => loadConfig(ProbeConfig, env),
      module: (config) => SlowProbeModule.forRoot(config),
      clients: { 'PLATFORM-OPS': 'probe-operator-key-0001' },
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
