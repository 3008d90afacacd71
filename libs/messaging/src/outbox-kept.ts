/** A message as the relay sends it: its topic, and the Kafka message (key, value's bytes, headers). */
export interface RelayMessage {
  topic: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** What this process keeps at most, in bytes of the messages' values (ADR 0116). */
export const KEPT_BYTES = 4 * 1024 * 1024;
/** A row kept longer than this is taken to be one whose statement failed or transaction rolled back, and may be dropped (ADR 0116). */
export const KEPT_MS = 30_000;

interface Kept {
  messages: RelayMessage[];
  bytes: number;
  at: number;
}

/**
 * The messages of the outbox rows this process wrote, by the event id of each row's first message, kept
 * while this process's relay leads, so that the relay publishes them without reading their bytes back
 * from PostgreSQL (ADR 0116). The table stays what decides: the relay publishes the rows it finds unsent,
 * in their order, and takes from here only the messages of a row it found.
 *
 * A row's event id is a random UUID made for it (`createEnvelope`), and the `outbox` table holds each
 * event id once: the only row that can ever carry a kept id is the one written with these messages. So a
 * row is kept before its statement is sent (a row that commits with its statement may be found by the
 * relay before the writer hears back): one whose statement fails or whose transaction rolls back is never
 * found, and is dropped once older than KEPT_MS when room is needed. Rows whose event id is not made here (dead letters
 * re-driven with the original message's id) are not kept.
 *
 * At most KEPT_BYTES of values are kept; a row that does not fit is not kept, and the relay reads it from
 * the table as it reads the rows of other processes.
 */
export class KeptMessages {
  private readonly rows = new Map<string, Kept>();
  private bytes = 0;
  private keeping = false;

  constructor(
    private readonly maxBytes = KEPT_BYTES,
    private readonly maxAgeMs = KEPT_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** This process's relay leads (`true`): rows written from now on are kept; or it stopped leading: none are, and all are dropped. */
  setKeeping(keeping: boolean): void {
    this.keeping = keeping;
    if (!keeping) this.clear();
  }

  /** Keeps a row's messages (its first message's event id), if this process relays and there is room. */
  keep(eventId: string, messages: RelayMessage[]): void {
    if (!this.keeping) return;
    this.forget([eventId]);
    let bytes = 0;
    for (const message of messages) bytes += message.value.length;
    if (this.bytes + bytes > this.maxBytes) this.dropOld();
    if (this.bytes + bytes > this.maxBytes) return;
    this.rows.set(eventId, { messages, bytes, at: this.clock() });
    this.bytes += bytes;
  }

  /** The kept messages of the row whose first message has this event id, if kept. */
  get(eventId: string): RelayMessage[] | undefined {
    return this.rows.get(eventId)?.messages;
  }

  /** The rows were published: no longer kept. */
  forget(eventIds: string[]): void {
    for (const eventId of eventIds) {
      const kept = this.rows.get(eventId);
      if (kept === undefined) continue;
      this.rows.delete(eventId);
      this.bytes -= kept.bytes;
    }
  }

  /** How many rows and bytes are kept. */
  size(): { rows: number; bytes: number } {
    return { rows: this.rows.size, bytes: this.bytes };
  }

  private clear(): void {
    this.rows.clear();
    this.bytes = 0;
  }

  /** Drops the rows kept longer than the maximum age: the oldest come first in the map. */
  private dropOld(): void {
    const before = this.clock() - this.maxAgeMs;
    for (const [eventId, kept] of this.rows) {
      if (kept.at > before) break;
      this.rows.delete(eventId);
      this.bytes -= kept.bytes;
    }
  }
}
