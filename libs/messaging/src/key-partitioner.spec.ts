import { randomBytes } from 'node:crypto';
import { PartitionerArgs, Partitioners } from 'kafkajs';
import { KeyPartitioner, murmur2 } from './key-partitioner';

// kafkajs's own hash (on Long objects), which the default partitioner used before (ADR 0096).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsMurmur2: (key: Buffer | string) => number = require('kafkajs/src/producer/partitioners/default/murmur2');

const metadata = (count: number) =>
  Array.from({ length: count }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 1, replicas: [1], isr: [1] }));

describe('murmur2', () => {
  it("gives the Java client's values (Kafka's own test vectors)", () => {
    const cases: Array<[string, number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of cases) expect([key, murmur2(Buffer.from(key))]).toEqual([key, hash]);
  });

  it("equals kafkajs's hash on every length and byte: random keys, USCCs, Chinese text, the empty key", () => {
    const keys: Buffer[] = [
      Buffer.alloc(0),
      Buffer.from('91320700MA1X2Y3Z4B'),
      Buffer.from('连云港市市场监督管理局'),
      Buffer.from([0xff, 0x80, 0x7f, 0x00]),
    ];
    for (let length = 0; length < 64; length++) for (let n = 0; n < 50; n++) keys.push(randomBytes(length));
    for (const key of keys) expect([key.toString('hex'), murmur2(key)]).toEqual([key.toString('hex'), kafkajsMurmur2(key)]);
  });
});

describe('KeyPartitioner', () => {
  it("puts every key on the partition kafkajs's default partitioner chose, for any number of partitions", () => {
    const ours = KeyPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (const count of [1, 2, 3, 6, 7, 12, 50]) {
      const partitionMetadata = metadata(count);
      for (let n = 0; n < 500; n++) {
        const key = n % 2 === 0 ? `9132070${String(n).padStart(10, '0')}X` : randomBytes(n % 40);
        const args: PartitionerArgs = { topic: 't', partitionMetadata, message: { key, value: 'v' } };
        expect(ours(args)).toBe(theirs(args));
      }
    }
  });

  it("keeps a message's own partition, and spreads keyless messages round robin as kafkajs does", () => {
    const ours = KeyPartitioner();
    const partitionMetadata = metadata(6);
    expect(ours({ topic: 't', partitionMetadata, message: { key: 'k', partition: 4, value: 'v' } })).toBe(4);
    const keyless = Array.from({ length: 12 }, () => ours({ topic: 't', partitionMetadata, message: { value: 'v' } }));
    expect(new Set(keyless).size).toBe(6);
    for (let i = 1; i < keyless.length; i++) expect(keyless[i]).toBe((keyless[i - 1] + 1) % 6);
  });
});
