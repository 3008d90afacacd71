/**
 * kafkajs 2.2.4 sorts the messages of a `sendBatch` by partition in
 * `producer/groupMessagesPerPartition.js`, and it copies the partition's whole array for each message
 * (`[...current, message]`): quadratic in the messages a batch has for one partition (ADR 0108). The relay
 * sends up to OUTBOX_BATCH_SIZE rows a batch (500), each with its followers: about a thousand messages over
 * six partitions in a drain, 2.4 µs a message where a push costs 0.4. With OUTBOX_BATCH_SIZE at 2,500 it is
 * 19 µs a message, at its maximum of 10,000 a quarter of a millisecond.
 *
 * `groupMessagesPerPartition` below is the same function with a push: the same partitioner calls in the
 * same order, the same object (partition number to that partition's messages, in batch order). kafkajs
 * keeps its module in a constant of `sendMessages.js`, so nothing can be swapped once kafkajs is loaded:
 * - a service's bundle (what `npm start`, the image and the tests run) is built with this function in place
 *   of kafkajs's module (scripts/bundle-services.mjs; the build fails if kafkajs's file is not the one
 *   this replaces);
 * - tsc's unbundled `main.js` (a CPU-profiled bench runs it) gets it from `preloadLinearGrouping()`, which
 *   `index.ts` calls before anything of this library loads kafkajs's producer.
 */
import type { Message, PartitionerArgs } from 'kafkajs';
import { INSTALLED_KAFKAJS_VERSION, PATCHED_KAFKAJS_VERSION } from './kafkajs-idle-timer';

/** kafkajs's module that `groupMessagesPerPartition` replaces. */
export const KAFKAJS_GROUPING_MODULE = 'kafkajs/src/producer/groupMessagesPerPartition';
/** The kafkajs module that requires it (once, when it loads). */
export const KAFKAJS_SEND_MESSAGES_MODULE = 'kafkajs/src/producer/sendMessages';

export interface GroupingArgs {
  topic: string;
  partitionMetadata: PartitionerArgs['partitionMetadata'];
  messages: Message[];
  partitioner: (args: PartitionerArgs) => number;
}

/** A batch's messages for one topic by partition, each partition's in batch order (kafkajs's result, in linear time). */
export function groupMessagesPerPartition({ topic, partitionMetadata, messages, partitioner }: GroupingArgs): Record<string, Message[]> {
  if (partitionMetadata.length === 0) return {};
  const result: Record<string, Message[]> = {};
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    const current = result[partition];
    if (current === undefined) result[partition] = [message];
    else current.push(message);
  }
  return result;
}

/** The parts of Node's CommonJS loader `preloadLinearGrouping` uses (given by the spec). */
export interface ModuleCache {
  resolve(request: string): string;
  cache: Record<string, unknown>;
  create(filename: string, exports: unknown): unknown;
}

/**
 * Puts `groupMessagesPerPartition` in Node's module cache under kafkajs's file, so that kafkajs's producer
 * takes it when it loads. True when it did (or it was there); false when kafkajs's producer was loaded
 * already, kafkajs is another version, or its file is not found (in a bundle kafkajs is inside it, and this
 * was done at build time).
 */
export function preloadLinearGrouping(modules: ModuleCache = nodeModules()): boolean {
  if (INSTALLED_KAFKAJS_VERSION !== PATCHED_KAFKAJS_VERSION) return false;
  let grouping: string;
  let sendMessages: string;
  try {
    grouping = modules.resolve(KAFKAJS_GROUPING_MODULE);
    sendMessages = modules.resolve(KAFKAJS_SEND_MESSAGES_MODULE);
  } catch {
    return false;
  }
  const cached = modules.cache[grouping] as { exports?: unknown } | undefined;
  if (cached?.exports === groupMessagesPerPartition) return true;
  if (modules.cache[sendMessages] !== undefined) return false;
  modules.cache[grouping] = modules.create(grouping, groupMessagesPerPartition);
  return true;
}

function nodeModules(): ModuleCache {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Module } = require('node:module') as { Module: new (id: string) => { filename: string; loaded: boolean; exports: unknown } };
  return {
    resolve: (request) => require.resolve(request),
    cache: require.cache,
    create: (filename, exports) => {
      const module = new Module(filename);
      module.filename = filename;
      module.loaded = true;
      module.exports = exports;
      return module;
    },
  };
}
