import { spawn } from 'node:child_process';
import { Controller } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import type { Admin } from 'kafkajs';
import { ApprovalDecidedV1 } from '@backbone/contracts';
import { InProcessService, REPO_ROOT, waitFor } from '@backbone/testing';
import { startProbeService } from './probe-service';

@Controller()
class Handler {
  @EventPattern(ApprovalDecidedV1.type)
  handle() {
    return undefined;
  }
}

/**
 * A member that left by LeaveGroup, brought back by a broker restart (ADR 0094). The group coordinator
 * stores a group's members with each generation, not at each leave: a broker restarted between a replica's
 * graceful stop and the next generation loads that replica's member again, with a fresh session, and the
 * group waits for a member that will never come. Here the member brought back is made directly: a
 * consumer in another process joins the group and is killed (no LeaveGroup), and the database records its
 * member as having left, as its graceful stop would have. A consumer that starts must take it out of the
 * group instead of waiting for its session.
 */
describe('a member that had left, back in the group after a broker restart', () => {
  let first: InProcessService;
  let second: InProcessService | undefined;
  let admin: Admin;
  /** Far longer than the test's waits: a member not removed holds the group up for all of it. */
  const SESSION_MS = 90_000;

  beforeAll(async () => {
    first = await startProbeService('a service with one handler, for the left member', {
      controllers: [Handler],
      env: { CONSUMER_SESSION_TIMEOUT_MS: String(SESSION_MS) },
    });
    admin = first.kafka().admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await second?.close();
    await first?.stop();
  });

  const group = () => `${first.namespace}.probe`;
  const described = async () => (await admin.describeGroups([group()])).groups[0];

  /** A consumer of the group in a process of its own; resolves with its member id once it has joined. */
  function joinElsewhere(): Promise<{ memberId: string; kill: () => void }> {
    const script = `
      const { Kafka, logLevel } = require('kafkajs');
      const kafka = new Kafka({ clientId: 'elsewhere', brokers: process.env.BROKERS.split(','), logLevel: logLevel.NOTHING });
      const consumer = kafka.consumer({ groupId: process.env.GROUP, sessionTimeout: Number(process.env.SESSION_MS), heartbeatInterval: 1000 });
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => console.log('member ' + payload.memberId));
      (async () => {
        await consumer.connect();
        await consumer.subscribe({ topic: process.env.TOPIC, fromBeginning: true });
        await consumer.run({ eachMessage: async () => undefined });
      })();`;
    const child = spawn(process.execPath, ['-e', script], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        BROKERS: first.infra.kafkaBrokers,
        GROUP: group(),
        SESSION_MS: String(SESSION_MS),
        TOPIC: `${first.namespace}.${ApprovalDecidedV1.topic}`,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /member (\S+)/.exec(out);
        if (found) resolve({ memberId: found[1], kill: () => child.kill('SIGKILL') });
      });
      child.on('exit', (code) => reject(new Error(`the other consumer exited (${code}) before joining`)));
    });
  }

  it('is taken out of the group by a consumer that starts, which does not wait for its session', async () => {
    await waitFor('the service in its group', async () => (await described()).state === 'Stable', { timeoutMs: 60_000, intervalMs: 250 });
    const elsewhere = await joinElsewhere();
    await waitFor(
      'both in the group',
      async () => {
        const now = await described();
        return now.state === 'Stable' && now.members.length === 2;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    // Gone without LeaveGroup, and recorded as having left, as a replica's graceful stop records it.
    elsewhere.kill();
    await first.dataSource.query(`INSERT INTO consumer_member_left (group_id, member_id, left_at) VALUES ($1, $2, now())`, [
      group(),
      elsewhere.memberId,
    ]);

    // A replica starts: its join starts a rebalance, which would wait for the member brought back.
    const startedAt = Date.now();
    second = await first.startReplica({ SERVICE_INSTANCE: 'probe-2' });
    const settled = await waitFor(
      'the group settled with the two live instances',
      async () => {
        const now = await described();
        return now.state === 'Stable' && now.members.length === 2 && !now.members.some((m) => m.memberId === elsewhere.memberId)
          ? now
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(settled.members.map((member) => member.memberId)).not.toContain(elsewhere.memberId);
    // Well within the session the member would have held the group for.
    expect(Date.now() - startedAt).toBeLessThan(SESSION_MS / 3);
  });

  it('records the member of an instance that stops gracefully as having left', async () => {
    const recorded = async () =>
      (await first.dataSource.query(`SELECT member_id FROM consumer_member_left WHERE group_id = $1`, [group()])).map(
        (row: { member_id: string }) => row.member_id,
      );
    // The replica's instance, as its Kafka client names it: the service, then SERVICE_INSTANCE.
    const [{ member_id: replica }] = await first.dataSource.query(
      `SELECT member_id FROM consumer_member WHERE group_id = $1 AND instance = 'probe-probe-2'`,
      [group()],
    );
    expect(await recorded()).not.toContain(replica);
    await second?.close();
    second = undefined;
    expect(await recorded()).toContain(replica);
  });
});
