import { randomUUID } from 'node:crypto';
import { EnvelopeError, TaskAssignedV1, TaskClaimedV1, usccCheckCharacter } from '@backbone/contracts';
import type { EntityManager } from 'typeorm';
import { Outbox, type OutboxEnvelopeRow, type OutgoingOf, type PackedOutboxRow, packRows, packTexts } from './outbox';
import { type OutboxFollowerColumns, readFollowers } from './outbox-followers';
import { KeptMessages } from './outbox-kept';
import type { OutboxSignal } from './outbox-signal';

/**
 * What `addTogether` validates (ADR 0036): every outgoing payload against its event's rules, unless its
 * writer marks it valid by construction (`payloadChecked`), and then only that one; and how it packs its
 * rows (ADR 0092). The statement is not sent anywhere: the fake manager keeps its parameters (the rows'
 * columns as JSON, their messages' bytes), read back as rows.
 */
const USCC = `91320700MA1XXXXX0${usccCheckCharacter('91320700MA1XXXXX0')}`;

function outboxWithFakeManager() {
  const statements: Array<{ sql: string; rows: Array<Record<string, unknown>> }> = [];
  const manager = {
    query: async (sql: string, params: unknown[]) => {
      statements.push({ sql, rows: unpack(params[0] as string, params[1] as Buffer) });
      return [];
    },
  } as unknown as EntityManager;
  const signal = { written: () => undefined, kept: new KeptMessages() } as unknown as OutboxSignal;
  return { outbox: new Outbox('supervision', signal), manager, statements };
}

/** The rows `packRows` packed, each with its value and its followers' columns parsed from their bytes (ADR 0109). */
function unpack(columns: string, bytes: Buffer): Array<Record<string, unknown>> {
  return (JSON.parse(columns) as PackedOutboxRow[]).map(({ at, value_bytes, more_bytes, ...row }) => {
    const more = bytes.subarray(at + value_bytes, at + value_bytes + more_bytes);
    return {
      ...row,
      value: JSON.parse(bytes.toString('utf8', at, at + value_bytes)),
      more_messages: more_bytes === 0 ? null : JSON.parse(more.toString('utf8', 0, more.indexOf(0x0a))),
    };
  });
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

describe('packRows: the outbox rows of one statement, their messages as bytes (ADR 0092)', () => {
  const row = (id: string, data: object): OutboxEnvelopeRow<object> => {
    const envelope = { specversion: '1.0', id, type: 'cn.gov.example.v1', source: '/services/supervision', subject: id, data };
    return {
      envelope: envelope as never,
      eventId: id,
      eventType: envelope.type,
      topic: 'supervision.tasks',
      key: id,
      headers: { ce_id: id },
      correlationId: `c-${id}`,
    };
  };
  // Multi-byte text before and between the slices: an offset counted in characters instead of bytes
  // would cut every later slice in the wrong place.
  const awkward = {
    name: '苏州市场监督管理局',
    quote: 'a "quoted" \\ back\\slash',
    separator: 'line\u2028break',
    emoji: '😀𝌆',
    nul: '\u0000',
  };

  it('gives each row its envelope text and its followers, byte for byte, in order', () => {
    const groups = [[row('a', awkward), row('b', { n: 1.5e-7 })], [row('c', {})], [row('d', awkward), row('e', awkward), row('f', {})]];
    const { columns, bytes } = packRows(groups);
    const packed = JSON.parse(columns) as PackedOutboxRow[];
    expect(packed.map((p) => p.event_id)).toEqual(['a', 'c', 'd']);
    let expectedAt = 0;
    packed.forEach((p, i) => {
      const [first, ...more] = groups[i];
      expect(p.at).toBe(expectedAt);
      expect(bytes.subarray(p.at, p.at + p.value_bytes).equals(Buffer.from(JSON.stringify(first.envelope)))).toBe(true);
      const followers = bytes.subarray(p.at + p.value_bytes, p.at + p.value_bytes + p.more_bytes);
      if (more.length === 0) expect(p.more_bytes).toBe(0);
      else {
        // their columns' JSON, a line feed, their envelopes' texts one after another (ADR 0109)
        const lineFeed = followers.indexOf(0x0a);
        const values = more.map((m) => Buffer.from(JSON.stringify(m.envelope)));
        let valueAt = 0;
        expect(JSON.parse(followers.toString('utf8', 0, lineFeed))).toEqual(
          more.map((m, j): OutboxFollowerColumns => {
            const column = {
              event_id: m.eventId,
              event_type: m.eventType,
              topic: m.topic,
              message_key: m.key,
              headers: m.headers,
              correlation_id: m.correlationId,
              value_at: valueAt,
              value_bytes: values[j].length,
            };
            valueAt += values[j].length;
            return column;
          }),
        );
        expect(followers.subarray(lineFeed + 1).equals(Buffer.concat(values))).toBe(true);
        // and the relay sends them as they were written
        expect(readFollowers(followers)).toEqual(
          more.map((m, j) => ({ topic: m.topic, key: m.key, value: values[j], headers: m.headers })),
        );
      }
      expect(p).toMatchObject({ topic: first.topic, message_key: first.key, headers: first.headers, correlation_id: first.correlationId });
      expectedAt += p.value_bytes + p.more_bytes;
    });
    expect(bytes.length).toBe(expectedAt);
  });

  it("hands each row's messages as the relay sends them: its own, then its followers', values byte for byte (ADR 0116)", () => {
    const groups = [[row('a', awkward), row('b', { n: 1.5e-7 })], [row('c', {})], [row('d', awkward), row('e', awkward), row('f', {})]];
    const { columns, bytes, messages } = packRows(groups);
    expect(messages.map((rowMessages) => rowMessages.map(({ value, ...rest }) => ({ ...rest, value: value.toString('utf8') })))).toEqual(
      groups.map((group) => group.map((m) => ({ topic: m.topic, key: m.key, headers: m.headers, value: JSON.stringify(m.envelope) }))),
    );
    // The same bytes the relay would read back from the row: its value, then readFollowers of its more_messages.
    (JSON.parse(columns) as PackedOutboxRow[]).forEach((p, i) => {
      expect(messages[i][0].value.equals(bytes.subarray(p.at, p.at + p.value_bytes))).toBe(true);
      if (p.more_bytes > 0)
        expect(messages[i].slice(1)).toEqual(readFollowers(bytes.subarray(p.at + p.value_bytes, p.at + p.value_bytes + p.more_bytes)));
    });
  });
});

describe('packTexts: texts as one buffer of their bytes (ADR 0092)', () => {
  it('says where each text is by byte, an empty one included', () => {
    const texts = ['苏州', '', 'a"b\\c', '😀', 'x'];
    const { bytes, spans } = packTexts(texts);
    expect(spans.map(({ bytes: n }) => n)).toEqual(texts.map((text) => Buffer.byteLength(text)));
    expect(spans.map(({ at, bytes: n }) => bytes.toString('utf8', at, at + n))).toEqual(texts);
    expect(bytes.length).toBe(Buffer.byteLength(texts.join('')));
  });

  it('holds only the bytes written, not the bound it wrote them into (the relay keeps slices of it, ADR 0116)', () => {
    const { bytes } = packTexts(['x'.repeat(6_000), 'y'.repeat(4_000)]);
    expect(bytes.length).toBe(10_000);
    expect(bytes.buffer.byteLength).toBe(10_000);
  });
});
