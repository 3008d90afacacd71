import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { deadLetterTopic, Envelope } from '@backbone/contracts';
import { NotFoundError } from '@backbone/platform';
import { DeadLetter } from './messaging.entities';
import { KafkaClient } from './kafka.client';
import { Outbox } from './outbox';
import type { IncomingMessage } from './inbox.transport';
import { storableText } from './storable';

export interface DeadLetterFacts {
  kind: DeadLetter['kind'];
  reason: string;
  attempts: number;
  envelope?: Envelope;
}

/**
 * Dead letters: kept in the service's database (to list and re-drive) and published, through the
 * outbox, to the consumer group's dead-letter topic with the reason in its headers.
 */
@Injectable()
export class DeadLetters {
  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaClient,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Never fails because of the message: every text column gets text made safe (no NUL, bounded
   * length), while the value and the key are kept as the bytes that came (bytea).
   */
  async record(manager: EntityManager, message: IncomingMessage, facts: DeadLetterFacts): Promise<void> {
    const key = storableText(message.key, 1000);
    const reason = storableText(facts.reason, 4000);
    const inserted: unknown[] = await manager.query(
      `INSERT INTO dead_letter (topic, partition, "offset", message_key, message_key_bytes, value, event_id, event_type, reason, kind, attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (topic, partition, "offset") DO NOTHING RETURNING id`,
      [
        message.topic,
        message.partition,
        message.offset,
        key,
        message.keyBytes ?? (message.key === null ? null : Buffer.from(message.key)),
        message.value,
        storableText(facts.envelope?.id, 300),
        storableText(facts.envelope?.type, 300),
        reason,
        facts.kind,
        facts.attempts,
      ],
    );
    if (inserted.length === 0) return;
    await this.outbox.addRaw(manager, {
      eventId: `dead-letter:${this.kafka.consumerGroup}:${message.topic}:${message.partition}:${message.offset}`,
      eventType: 'dead-letter',
      topic: deadLetterTopic(this.kafka.serviceName),
      key: key ?? 'unkeyed',
      value: message.value ?? Buffer.alloc(0),
      headers: {
        'dlq-reason': reason.slice(0, 2000),
        'dlq-kind': facts.kind,
        'dlq-attempts': String(facts.attempts),
        'dlq-consumer-group': this.kafka.consumerGroup,
        'dlq-original-topic': message.topic,
        'dlq-original-partition': String(message.partition),
        'dlq-original-offset': message.offset,
      },
      correlationId: storableText(facts.envelope?.correlationid, 300) ?? undefined,
    });
  }

  list(status?: DeadLetter['status'], limit = 100): Promise<DeadLetter[]> {
    return this.dataSource.getRepository(DeadLetter).find({
      where: status ? { status } : {},
      order: { id: 'DESC' },
      take: limit,
    });
  }

  async get(id: string): Promise<DeadLetter> {
    const found = await this.dataSource.getRepository(DeadLetter).findOneBy({ id });
    if (!found) throw new NotFoundError('dead letter', id);
    return found;
  }

  async markRedriven(id: string): Promise<void> {
    await this.dataSource.getRepository(DeadLetter).update({ id }, { status: 'redriven', redrivenAt: new Date() });
  }
}
