import { randomBytes } from 'node:crypto';
import { crc32C, crc32CImplementation } from './crc32c';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsCrc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (buffer: Buffer) => number;

describe('crc32C', () => {
  it('is the native implementation on this platform (its prebuilt binary is installed)', () => {
    expect(crc32CImplementation).toBe('native');
  });

  it("gives the check value of CRC-32C and kafkajs's result on every length from 0 to 300 and on batch sizes", () => {
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283); // the catalogue's check value for CRC-32C
    expect(crc32C(Buffer.alloc(0))).toBe(0);
    const lengths = [...Array.from({ length: 301 }, (_, length) => length), 4095, 4096, 65_537, 1_048_576];
    for (const length of lengths) {
      const bytes = randomBytes(length);
      expect([length, crc32C(bytes)]).toEqual([length, kafkajsCrc32C(bytes)]);
    }
  });

  it('reads only the view it is given, not the buffer around it', () => {
    const whole = randomBytes(2048);
    const view = whole.subarray(100, 1300);
    expect(crc32C(view)).toBe(kafkajsCrc32C(Buffer.from(view)));
  });
});
