import { AssignerProtocol } from 'kafkajs';
import { ALL_TOPICS } from '@backbone/contracts';
import { decidedApprovalEvent, SERVICE_NAMES, TestSystem, testUscc, unstorablePayloads, waitFor } from '@backbone/testing';

/**
 * A single malformed message must not stop the double push. Every payload PostgreSQL cannot store is
 * produced to every partition of every topic; each service dead-letters what it consumes, keeping the
 * bytes, and moves on to the end of every partition; then the loop still goes round.
 */
describe('payloads PostgreSQL cannot store, on every input topic of every service', () => {
  let system: TestSystem;
  const partitions = 6;

  beforeAll(async () => {
    system = await TestSystem.start(
      SERVICE_NAMES,
      Object.fromEntries(SERVICE_NAMES.map((name) => [name, { TOPIC_PARTITIONS: String(partitions) }])),
    );
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('dead-letters each one with its bytes, every consumer reaches the end of every partition, and the loop still runs', async () => {
    const kafka = system.kafka();
    const admin = kafka.admin();
    const producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    try {
      // What each service consumes, as its consumer group says.
      const inputs = new Map<string, string[]>();
      for (const name of SERVICE_NAMES) {
        const topics = await waitFor(`${name}'s consumer group`, async () => {
          const [group] = (await admin.describeGroups([system.topic(name)])).groups;
          if (group?.state !== 'Stable' || group.members.length === 0) return undefined;
          return AssignerProtocol.MemberMetadata.decode(group.members[0].memberMetadata)?.topics;
        });
        inputs.set(name, topics);
      }

      const poisons = unstorablePayloads(decidedApprovalEvent(8_100_001));
      for (const topic of ALL_TOPICS)
        for (let partition = 0; partition < partitions; partition++)
          await producer.send({ topic: system.topic(topic), messages: poisons.map(({ key, value }) => ({ key, value, partition })) });

      for (const name of SERVICE_NAMES) {
        const topics = inputs.get(name) ?? [];
        expect({ name, consumes: topics.length > 0 }).toEqual({ name, consumes: true });
        for (const topic of topics) {
          const ends = await admin.fetchTopicOffsets(topic);
          await waitFor(
            `${name} to commit the end of every partition of ${topic}`,
            async () => {
              const [committed] = await admin.fetchOffsets({ groupId: system.topic(name), topics: [topic] });
              return ends.every((end) => committed.partitions.find((p) => p.partition === end.partition)?.offset === end.high);
            },
            { timeoutMs: 60_000 },
          );
        }
        const sql = await system.sql(name);
        const { rows } = await sql.query<{ topic: string; partition: number; value: Buffer; kind: string; attempts: number }>(
          `SELECT topic, partition, value, kind, attempts FROM dead_letter`,
        );
        for (const topic of topics) {
          const logical = topic.slice(system.namespace.length + 1);
          for (let partition = 0; partition < partitions; partition++) {
            const here = rows.filter((row) => row.topic === logical && row.partition === partition);
            expect({
              name,
              topic: logical,
              partition,
              letters: here.length,
              kinds: [...new Set(here.map((row) => `${row.kind}/${row.attempts}`))],
            }).toEqual({
              name,
              topic: logical,
              partition,
              letters: poisons.length,
              kinds: ['invalid/1'],
            });
            for (const poison of poisons) expect(here.some((row) => row.value.equals(poison.value))).toBe(true);
          }
        }
        const health = await fetch(`${system.service(name).url}/health`);
        expect({ name, health: health.status }).toEqual({ name, health: 200 });
      }
    } finally {
      await Promise.allSettled([admin.disconnect(), producer.disconnect()]);
    }

    // The double push after the poison: approval → supervision's task → claim → the approver sees it.
    const uscc = testUscc(8_100_002);
    const decided = await system.call('approval', '320700-APPROVAL', 'POST', '/approvals', {
      applicationNumber: 'POISON-0001',
      uscc,
      entityName: '连云港海鲜餐饮有限公司',
      itemCode: 'FOOD-BUSINESS-LICENCE',
      regionCode: '320703',
      kind: 'licence',
      outcome: 'granted',
      licenceNumber: 'JY13207030199',
    });
    expect(decided.status).toBe(201);
    const approvalId: string = decided.body.id;
    const task = await waitFor('the supervision task', async () => {
      const found = await system.call('supervision', '320700-SAMR', 'GET', `/tasks?approvalId=${approvalId}`);
      return found.body.length === 1 ? found.body[0] : undefined;
    });
    const claimed = await system.call('supervision', '320700-SAMR', 'POST', `/tasks/${task.id}/claim`, { handler: '王芳' });
    expect(claimed.status).toBe(200);
    await waitFor('the approver to see the claim', async () => {
      const approval = await system.call('approval', '320700-APPROVAL', 'GET', `/approvals/${approvalId}`);
      return approval.body.supervision.status === 'claimed' ? approval.body : undefined;
    });
  });
});
