import type { Message, PartitionerArgs } from 'kafkajs';
import { KeyPartitioner } from './key-partitioner';
import {
  groupMessagesPerPartition,
  type GroupingArgs,
  KAFKAJS_GROUPING_MODULE,
  KAFKAJS_SEND_MESSAGES_MODULE,
  type ModuleCache,
  preloadLinearGrouping,
} from './kafkajs-grouping';

// kafkajs's own module, as installed (the bundle replaces it; jest loads the file).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsGrouping = require(KAFKAJS_GROUPING_MODULE) as (args: GroupingArgs) => Record<string, Message[]>;

const partitionMetadata = (count: number): PartitionerArgs['partitionMetadata'] =>
  Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));

/**
 * A partitioner that records its calls: the relay's own (ADR 0096) for a key, round robin without one (the
 * relay's spreads those at random; here both sides must place them alike).
 */
function recording(): { partitioner: GroupingArgs['partitioner']; calls: string[] } {
  const byKey = KeyPartitioner();
  const calls: string[] = [];
  let unkeyed = 0;
  return {
    calls,
    partitioner: (args) => {
      calls.push(`${args.topic}:${String(args.message.key)}`);
      return args.message.key == null ? unkeyed++ % args.partitionMetadata.length : byKey(args);
    },
  };
}

describe('groupMessagesPerPartition (ADR 0108)', () => {
  it.each([
    ['no messages', 0, 6],
    ['one message', 1, 6],
    ['a relay batch: 1,000 messages over six partitions', 1000, 6],
    ['one partition', 300, 1],
    ['more partitions than messages', 5, 64],
  ])('groups as kafkajs does: %s', (_name, count, partitions) => {
    const messages: Message[] = Array.from({ length: count }, (_, i) => ({
      key: i % 7 === 0 ? null : `9132070${i % 97}MA1XXXXX`,
      value: Buffer.from(`{"n":${i}}`),
      headers: { ce_id: String(i) },
    }));
    const ours = recording();
    const theirs = recording();
    const metadata = partitionMetadata(partitions);
    const expected = kafkajsGrouping({ topic: 't', partitionMetadata: metadata, messages, partitioner: theirs.partitioner });
    const actual = groupMessagesPerPartition({ topic: 't', partitionMetadata: metadata, messages, partitioner: ours.partitioner });

    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    for (const partition of Object.keys(expected)) {
      // the very message objects, in batch order
      expect(actual[partition].length).toBe(expected[partition].length);
      actual[partition].forEach((message, i) => expect(message).toBe(expected[partition][i]));
    }
    expect(ours.calls).toEqual(theirs.calls);
    if (count >= 1000) expect(Object.keys(actual)).toHaveLength(partitions);
  });

  it('groups nothing for a topic without partition metadata, as kafkajs does (it then fails the send)', () => {
    const messages: Message[] = [{ key: 'k', value: 'v' }];
    const partitioner = jest.fn(() => 0);
    expect(groupMessagesPerPartition({ topic: 't', partitionMetadata: [], messages, partitioner })).toEqual({});
    expect(kafkajsGrouping({ topic: 't', partitionMetadata: [], messages, partitioner })).toEqual({});
    expect(partitioner).not.toHaveBeenCalled();
  });
});

describe('preloadLinearGrouping', () => {
  /** Node's loader as the function sees it, over a plain cache. */
  function loader(options: { loaded?: string[]; missing?: boolean } = {}): ModuleCache & { created: string[] } {
    const cache: Record<string, unknown> = {};
    for (const request of options.loaded ?? []) cache[`/node_modules/${request}.js`] = { exports: () => ({}) };
    const created: string[] = [];
    return {
      cache,
      created,
      resolve: (request) => {
        if (options.missing) throw new Error(`Cannot find module '${request}'`);
        return `/node_modules/${request}.js`;
      },
      create: (filename, exports) => {
        created.push(filename);
        return { filename, loaded: true, exports };
      },
    };
  }

  it("puts the linear grouping under kafkajs's file before kafkajs's producer loads", () => {
    const modules = loader();
    expect(preloadLinearGrouping(modules)).toBe(true);
    expect(modules.created).toEqual([`/node_modules/${KAFKAJS_GROUPING_MODULE}.js`]);
    expect((modules.cache[`/node_modules/${KAFKAJS_GROUPING_MODULE}.js`] as { exports: unknown }).exports).toBe(groupMessagesPerPartition);
    // a second call finds it there
    expect(preloadLinearGrouping(modules)).toBe(true);
    expect(modules.created).toHaveLength(1);
  });

  it("says so and changes nothing when kafkajs's producer has loaded already (it keeps its own)", () => {
    const modules = loader({ loaded: [KAFKAJS_SEND_MESSAGES_MODULE, KAFKAJS_GROUPING_MODULE] });
    const before = modules.cache[`/node_modules/${KAFKAJS_GROUPING_MODULE}.js`];
    expect(preloadLinearGrouping(modules)).toBe(false);
    expect(modules.cache[`/node_modules/${KAFKAJS_GROUPING_MODULE}.js`]).toBe(before);
    expect(modules.created).toEqual([]);
  });

  it("returns false when kafkajs's files are not found (a bundle built without node_modules beside it)", () => {
    const modules = loader({ missing: true });
    expect(preloadLinearGrouping(modules)).toBe(false);
    expect(modules.created).toEqual([]);
  });
});
