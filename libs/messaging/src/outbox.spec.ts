import { randomUUID } from 'node:crypto';
import { EnvelopeError, TaskAssignedV1, TaskClaimedV1, usccCheckCharacter } from '@backbone/contracts';
import type { EntityManager } from 'typeorm';
import { Outbox, type OutgoingOf } from './outbox';
import type { OutboxSignal } from './outbox-signal';

/**
 * What `addTogether` validates (ADR 0036): every outgoing payload against its event's rules, unless its
 * writer marks it valid by construction (`payloadChecked`), and then only that one. The statement is
 * not sent anywhere: the fake manager keeps its parameter (the outbox rows as JSON).
 */
const USCC = `91320700MA1XXXXX0${usccCheckCharacter('91320700MA1XXXXX0')}`;

function outboxWithFakeManager() {
  const statements: Array<{ sql: string; rows: Array<Record<string, unknown>> }> = [];
  const manager = {
    query: async (sql: string, params: unknown[]) => {
      statements.push({ sql, rows: JSON.parse(params[0] as string) as Array<Record<string, unknown>> });
      return [];
    },
  } as unknown as EntityManager;
  const signal = { written: () => undefined } as unknown as OutboxSignal;
  return { outbox: new Outbox('supervision', signal), manager, statements };
}

function assigned(department: string, payloadChecked?: boolean): OutgoingOf<TaskAssignedV1> {
  return {
    eventClass: TaskAssignedV1,
    event: {
      subject: USCC,
      correlationId: 'loop-1',
      causationId: randomUUID(),
      data: {
        taskId: randomUUID(),
        approvalId: randomUUID(),
        uscc: USCC,
        itemCode: 'FOOD-BUSINESS-LICENCE',
        assignedDepartment: department,
        routingRule: 'integrated',
        claimDeadline: '2026-12-08T16:00:00.000Z',
      },
    },
    ...(payloadChecked === undefined ? {} : { payloadChecked }),
  };
}

function claimed(handler: string): OutgoingOf<TaskClaimedV1> {
  return {
    eventClass: TaskClaimedV1,
    event: {
      subject: USCC,
      correlationId: 'loop-1',
      data: {
        taskId: randomUUID(),
        approvalId: randomUUID(),
        uscc: USCC,
        department: '320700-SAMR',
        handler,
        claimedAt: new Date().toISOString(),
      },
    },
  };
}

describe('Outbox.addTogether: outgoing payloads validated unless marked valid by construction', () => {
  it('refuses an invalid payload, naming its field and rule, and writes nothing', async () => {
    const { outbox, manager, statements } = outboxWithFakeManager();
    const refused = outbox.addTogether(manager, [[assigned('D'.repeat(65))]]);
    await expect(refused).rejects.toThrow(EnvelopeError);
    await expect(outbox.addTogether(manager, [[assigned('D'.repeat(65), false)]])).rejects.toThrow(/assignedDepartment: .*64/);
    expect(statements).toEqual([]);
  });

  it('writes a payload marked payloadChecked as it is given, without validating it', async () => {
    const { outbox, manager, statements } = outboxWithFakeManager();
    const event = assigned('D'.repeat(65), true);
    const [envelope] = await outbox.addTogether(manager, [[event]]);
    expect(envelope.data).toEqual(event.event.data);
    expect(statements).toHaveLength(1);
    expect(statements[0].rows).toEqual([
      expect.objectContaining({ event_type: TaskAssignedV1.type, value: expect.objectContaining({ data: event.event.data }) }),
    ]);
  });

  it('still validates the unmarked events of a group whose other events are marked', async () => {
    const { outbox, manager, statements } = outboxWithFakeManager();
    const group = [assigned('320700-SAMR', true), claimed('')];
    await expect(outbox.addTogether(manager, [group])).rejects.toThrow(/handler: /);
    await expect(outbox.addMany(manager, group)).rejects.toThrow(/handler: /);
    expect(statements).toEqual([]);
    const valid = [assigned('320700-SAMR', true), claimed('auto-claim')];
    await outbox.addTogether(manager, [valid]);
    expect(statements).toHaveLength(1);
    expect(statements[0].rows[0].more_messages).toEqual([expect.objectContaining({ event_type: TaskClaimedV1.type })]);
  });
});
