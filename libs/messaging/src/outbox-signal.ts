import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { KeptMessages } from './outbox-kept';

const WRITTEN = 'backbone:outbox-written';

/**
 * Tells this process's relay that outbox rows were committed, the moment their transaction commits
 * (ADR 0021): the relay then need not poll. Rows written by other processes (replicas, psql) reach
 * the leading relay by LISTEN/NOTIFY instead (a trigger on the outbox). It also hands the relay the
 * messages of the rows this process wrote (`kept`, ADR 0116).
 */
@Injectable()
export class OutboxSignal implements EntitySubscriberInterface {
  private readonly listeners = new Set<() => void>();
  /** The messages of the rows this process wrote, for its relay while it leads (ADR 0116). */
  readonly kept = new KeptMessages();

  constructor(dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  /** Called by the outbox after it wrote a row with `manager`: signals once that transaction commits. */
  written(manager: EntityManager): void {
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive) runner.data = { ...runner.data, [WRITTEN]: true };
    else this.fire();
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A savepoint released inside the transaction is not its commit.
    const data = event.queryRunner.data as Record<string, unknown> | undefined;
    if (!data?.[WRITTEN] || event.queryRunner.isTransactionActive) return;
    delete data[WRITTEN];
    this.fire();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    const data = event.queryRunner.data as Record<string, unknown> | undefined;
    if (data && !event.queryRunner.isTransactionActive) delete data[WRITTEN];
  }

  /** A writer that commits outbox rows on its own connection (not through TypeORM) says so here, after its COMMIT. */
  committed(): void {
    this.fire();
  }

  /** `listener` is called after each commit that wrote outbox rows; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private fire(): void {
    for (const listener of this.listeners) listener();
  }
}
