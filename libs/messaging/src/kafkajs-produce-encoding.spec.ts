import {
  encodeProduceRequest,
  KafkajsProduceRequests,
  leanProduceEncoding,
  type EncodedRequest,
  type ProduceRequestArgs,
} from './kafkajs-produce-encoding';
import { INSTALLED_KAFKAJS_VERSION, PATCHED_KAFKAJS_VERSION } from './kafkajs-idle-timer';

// kafkajs's own encoder of the request's body, required directly: the patch does not touch it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsRequestV3 = require('kafkajs/src/protocol/requests/produce/v3/request') as (args: ProduceRequestArgs) => {
  encode(): Promise<EncodedRequest>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Long = require('kafkajs/src/utils/long') as { fromNumber(value: number): unknown };

const NOW = 1_796_216_347_961;
const envelope = (index: number) =>
  Buffer.from(
    JSON.stringify({ specversion: '1.0', id: `id-${index}`, data: { name: `江苏某某有限公司 ${index}`, pad: 'x'.repeat(1_200) } }),
  );
const cloudEventHeaders = (index: number) => ({
  'content-type': 'application/cloudevents+json',
  ce_type: 'gov.supervision.task.assigned.v1',
  ce_id: `0b7b0d8e-5a0c-4a55-9a1b-${String(index).padStart(12, '0')}`,
});
const relayMessages = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ key: `91320700MA${index}`, value: envelope(index), headers: cloudEventHeaders(index) }));

async function kafkajsBytes(args: ProduceRequestArgs): Promise<Buffer> {
  return (await kafkajsRequestV3(args).encode()).buffer;
}

describe('Produce requests encoded in one buffer, as kafkajs encodes them (ADR 0099)', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
  afterEach(() => jest.restoreAllMocks());

  const cases: Array<[string, ProduceRequestArgs]> = [
    [
      "the relay's: idempotent, CloudEvents headers, envelopes as bytes, several partitions",
      {
        acks: -1,
        timeout: 30_000,
        producerId: Long.fromNumber(4_711),
        producerEpoch: 3,
        topicData: [
          {
            topic: 'approval.decided',
            partitions: [
              { partition: 0, firstSequence: 1_234, messages: relayMessages(3) },
              { partition: 5, firstSequence: 0, messages: relayMessages(1) },
            ],
          },
          { topic: 'supervision.task-assigned', partitions: [{ partition: 2, firstSequence: 9, messages: relayMessages(2) }] },
        ],
      },
    ],
    [
      'more than 64 messages in a partition (two-byte offset deltas) and record lengths around the varint steps',
      {
        acks: -1,
        timeout: 30_000,
        topicData: [
          {
            topic: 't',
            partitions: [
              {
                partition: 1,
                messages: Array.from({ length: 70 }, (_, index) => ({ key: 'k', value: 'v'.repeat(40 + index), headers: {} })),
              },
              { partition: 2, messages: [{ value: Buffer.alloc(8_200, 1) }, { value: Buffer.alloc(63) }, { value: Buffer.alloc(64) }] },
            ],
          },
        ],
      },
    ],
    [
      'null and absent keys and values, UTF-8 text, an array header, Buffer headers, defaults for the producer',
      {
        acks: 1,
        timeout: 5,
        topicData: [
          {
            topic: '主题',
            partitions: [
              {
                partition: 0,
                messages: [
                  { key: null, value: null },
                  { value: '监管任务 ✓' },
                  { key: Buffer.from([0, 255]), value: 'x', headers: { many: ['1', Buffer.from('二')], one: Buffer.alloc(0), 键: '值' } },
                ],
              },
            ],
          },
        ],
      },
    ],
    [
      'a transactional producer, and messages with their own timestamps among ones without (sorted as text, as kafkajs does)',
      {
        acks: -1,
        timeout: 30_000,
        transactionalId: 'tx-1',
        producerId: 77,
        producerEpoch: 1,
        topicData: [
          {
            topic: 't',
            partitions: [
              {
                partition: 3,
                firstSequence: 5,
                messages: [
                  { value: 'a', timestamp: NOW - 60_000 },
                  { value: 'b' },
                  { value: 'c', timestamp: String(NOW + 5) },
                  { value: 'd', timestamp: 999_999_999_999 },
                ],
              },
            ],
          },
        ],
      },
    ],
  ];

  it.each(cases)('writes the bytes kafkajs writes: %s', async (_, args) => {
    const lean = encodeProduceRequest(args);
    expect(lean).toBeDefined();
    const bytes = lean!.buffer;
    expect(bytes.length).toBe(lean!.size());
    expect(bytes.equals(await kafkajsBytes(args))).toBe(true);
  });

  it.each<[string, Partial<ProduceRequestArgs>['topicData'] | undefined, number | undefined]>([
    ['compressed batches', undefined, 1],
    ['a value that is neither text nor bytes', [{ topic: 't', partitions: [{ partition: 0, messages: [{ value: 42 }] }] }], undefined],
    [
      'a Uint8Array that is not a Buffer',
      [{ topic: 't', partitions: [{ partition: 0, messages: [{ key: new Uint8Array([1]) }] }] }],
      undefined,
    ],
    ['a null header value', [{ topic: 't', partitions: [{ partition: 0, messages: [{ value: 'v', headers: { h: null } }] }] }], undefined],
    ['headers given as null', [{ topic: 't', partitions: [{ partition: 0, messages: [{ value: 'v', headers: null }] }] }], undefined],
    [
      'a timestamp that is not a number',
      [{ topic: 't', partitions: [{ partition: 0, messages: [{ value: 'v', timestamp: 'soon' }] }] }],
      undefined,
    ],
  ])('leaves to kafkajs what it does not encode itself: %s', (_, topicData, compression) => {
    const args = {
      acks: -1,
      timeout: 30_000,
      compression,
      topicData: topicData ?? [{ topic: 't', partitions: [{ partition: 0, messages: relayMessages(2) }] }],
    };
    expect(encodeProduceRequest(args as ProduceRequestArgs)).toBeUndefined();
  });

  describe('installed in kafkajs', () => {
    const kafkajsProtocol = KafkajsProduceRequests.protocol;
    afterEach(() => {
      KafkajsProduceRequests.protocol = kafkajsProtocol;
    });

    it('is written for the kafkajs in use: on an upgrade, compare its encoder again before keeping this', () => {
      expect(INSTALLED_KAFKAJS_VERSION).toBe(PATCHED_KAFKAJS_VERSION);
      expect(leanProduceEncoding()).toBe(true);
      expect(KafkajsProduceRequests.protocol).not.toBe(kafkajsProtocol);
    });

    it('encodes versions 3 to 7 itself, with their own version number, and leaves 0 to 2 and compressed ones to kafkajs', async () => {
      const args: ProduceRequestArgs = {
        acks: -1,
        timeout: 30_000,
        topicData: [{ topic: 't', partitions: [{ partition: 0, messages: relayMessages(2) }] }],
      };
      const expected = await kafkajsBytes(args);
      const patched = patchedProtocol();
      for (const version of [3, 4, 5, 6, 7]) {
        const { request } = patched({ version })(args);
        expect(request.apiVersion).toBe(version);
        const encoded = await request.encode();
        expect(Object.getPrototypeOf(encoded)).toBe(Object.getPrototypeOf(await kafkajsRequestV3(args).encode()));
        expect(encoded.buffer.equals(expected)).toBe(true);
      }
      expect(patched({ version: 2 })).toBe(kafkajsProtocol({ version: 2 }));
      const compressed = { ...args, compression: 1 };
      const { request } = patched({ version: 7 })(compressed);
      expect((await request.encode()).buffer.equals(await kafkajsBytes(compressed))).toBe(true);
    });

    /** The wrapped definition, installed afresh (each test starts from kafkajs's own). */
    function patchedProtocol(): typeof kafkajsProtocol {
      leanProduceEncoding();
      if (KafkajsProduceRequests.protocol === kafkajsProtocol) throw new Error('not installed');
      return KafkajsProduceRequests.protocol;
    }
  });
});
