import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Transactional outbox: a row is written in the same transaction as the state change it announces,
 * and the relay publishes it to Kafka afterwards (its message, then those in `more_messages`). Once the broker acknowledged it the relay deletes it (or,
 * with OUTBOX_RETENTION_HOURS > 0, sets `sent_at` and retention purges it later): a row without
 * `sent_at` is one still to publish.
 */
@Entity('outbox')
@Index('outbox_unsent', ['id'], { where: 'sent_at IS NULL' })
@Index('outbox_sent_at', ['sentAt'], { where: '(sent_at IS NOT NULL)' })
@Index('outbox_sent_correlation', ['correlationId'], { where: '(sent_at IS NOT NULL)' })
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'event_id', type: 'text', unique: true }) eventId: string;
  @Column({ name: 'event_type', type: 'text' }) eventType: string;
  @Column({ type: 'text' }) topic: string;
  @Column({ name: 'message_key', type: 'text' }) messageKey: string;
  @Column({ type: 'bytea' }) value: Buffer;
  @Column({ type: 'jsonb', default: () => `'{}'` }) headers: Record<string, string>;
  @Column({ name: 'correlation_id', type: 'text', nullable: true }) correlationId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt: Date | null;
  /**
   * The row's further messages, published right after its own and in order, each its own Kafka message
   * (`Outbox.addTogether`), as the bytes the service wrote (ADR 0092): their columns' JSON, a line feed,
   * their values (outbox-followers.ts, ADR 0109; before it, the JSON text of an `OutboxFollower[]`); null
   * for a row of one message. The view `outbox_message` lists every message.
   */
  @Column({ name: 'more_messages', type: 'bytea', nullable: true }) moreMessages: Buffer | null;
}

/**
 * A message after the first of an outbox row as rows written before ADR 0109 hold it (in `more_messages`,
 * the JSON text of an array of these): the columns of a row, `value` as the envelope's JSON text.
 */
export interface OutboxFollower {
  event_id: string;
  event_type: string;
  topic: string;
  message_key: string;
  value: string;
  headers: Record<string, string>;
  correlation_id: string;
}

/** Inbox: the id of every event a consumer applied, written in the transaction of its effects. */
@Entity('inbox')
@Index('inbox_processed_at', ['processedAt'])
export class InboxMessage {
  @PrimaryColumn({ name: 'event_id', type: 'text' }) eventId: string;
  @Column({ name: 'event_type', type: 'text' }) eventType: string;
  @Column({ type: 'text' }) topic: string;
  @Column({ type: 'int' }) partition: number;
  @Column({ type: 'bigint' }) offset: string;
  @Column({ name: 'correlation_id', type: 'text', nullable: true }) correlationId: string | null;
  @CreateDateColumn({ name: 'processed_at', type: 'timestamptz' }) processedAt: Date;
}

export type DeadLetterStatus = 'open' | 'redriven';

/** A message this service's consumer could not apply, kept for inspection and re-drive. */
@Entity('dead_letter')
@Index('dead_letter_source', ['topic', 'partition', 'offset'], { unique: true })
@Check('dead_letter_kind_check', "(kind = ANY (ARRAY['invalid'::text, 'unknown-type'::text, 'failed'::text]))")
@Check('dead_letter_status_check', "(status = ANY (ARRAY['open'::text, 'redriven'::text]))")
export class DeadLetter {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ type: 'text' }) topic: string;
  @Column({ type: 'int' }) partition: number;
  @Column({ type: 'bigint' }) offset: string;
  @Column({ name: 'message_key', type: 'text', nullable: true }) messageKey: string | null;
  /** The key's bytes as they came (the text above is made safe for storage). */
  @Column({ name: 'message_key_bytes', type: 'bytea', nullable: true }) messageKeyBytes: Buffer | null;
  @Column({ type: 'bytea', nullable: true }) value: Buffer | null;
  @Column({ name: 'event_id', type: 'text', nullable: true }) eventId: string | null;
  @Column({ name: 'event_type', type: 'text', nullable: true }) eventType: string | null;
  @Column({ type: 'text' }) reason: string;
  @Column({ type: 'text' }) kind: 'invalid' | 'unknown-type' | 'failed';
  @Column({ type: 'int' }) attempts: number;
  @Column({ type: 'text', default: 'open' }) status: DeadLetterStatus;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'redriven_at', type: 'timestamptz', nullable: true }) redrivenAt: Date | null;
}

export const MESSAGING_ENTITIES = [OutboxMessage, InboxMessage, DeadLetter];
