import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The member id this service instance last had in its consumer group, kept in the service's own
 * database, so that the process started after a kill -9 can take the dead member out of the group at
 * once (ADR 0077) instead of the group waiting for its session to expire (30 s by default, ADR 0020).
 *
 * Kafka's static membership (`group.instance.id`) does this in the broker, but kafkajs 2.2.4 does not
 * offer it; LeaveGroup names the member to remove, and the coordinator takes it from any connection.
 */
export interface ProcessMark {
  /** The host, process id and a token drawn at the process's start, of the process that joined. */
  host: string;
  pid: number;
  boot: string;
}

/** This process: a token no other process has (a container's process id is often 1 every time). */
export const THIS_PROCESS: ProcessMark = { host: hostname(), pid: process.pid, boot: randomUUID() };

/**
 * Whether the member recorded for this instance belongs to a process that is gone, so that removing it
 * from the group takes nothing from a live consumer:
 * - recorded by this process (an earlier consumer here): not a predecessor; the transport knows its
 *   own earlier members and leaves them itself;
 * - recorded on this host by another process that still runs: a live sibling given the same instance
 *   name (SERVICE_INSTANCE unset on two processes, say), left alone;
 * - recorded on this host by a process that no longer runs, or by a process with this one's id (a
 *   container started again): gone;
 * - recorded on another host: when the instance is named (SERVICE_INSTANCE, a pod's name on
 *   Kubernetes), that name on another host is this instance started again there: gone; when it is not
 *   (the bare service name, which replicas on several hosts share), it may be a live replica: left alone.
 */
export function recordedByGoneProcess(
  record: ProcessMark,
  { named, self = THIS_PROCESS, running = processRuns }: { named: boolean; self?: ProcessMark; running?: (pid: number) => boolean },
): boolean {
  if (record.boot === self.boot) return false;
  if (record.host !== self.host) return named;
  return record.pid === self.pid || !running(record.pid);
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads and writes the `consumer_member` row of one consumer group and instance. */
export class ConsumerMembers {
  constructor(
    private readonly dataSource: DataSource,
    readonly groupId: string,
    readonly instance: string,
    /** Whether the instance has a name of its own (SERVICE_INSTANCE), not just the service's. */
    private readonly named: boolean,
  ) {}

  /** The member this instance had when it last joined, if a process that is gone recorded it. */
  async predecessor(): Promise<string | undefined> {
    const rows: Array<{ member_id: string; host: string; pid: number; boot: string }> = await this.dataSource.query(
      `SELECT member_id, host, pid, boot FROM consumer_member WHERE group_id = $1 AND instance = $2`,
      [this.groupId, this.instance],
    );
    const row = rows[0];
    return row && recordedByGoneProcess(row, { named: this.named }) ? row.member_id : undefined;
  }

  /** Records the member id this process joined with. */
  async remember(memberId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO consumer_member (group_id, instance, member_id, host, pid, boot, joined_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (group_id, instance) DO UPDATE
         SET member_id = EXCLUDED.member_id, host = EXCLUDED.host, pid = EXCLUDED.pid, boot = EXCLUDED.boot, joined_at = now()`,
      [this.groupId, this.instance, memberId, THIS_PROCESS.host, THIS_PROCESS.pid, THIS_PROCESS.boot],
    );
  }

  /**
   * Records that a member of this group left it by LeaveGroup (ADR 0094): this process's own at a graceful
   * stop, or one this process took out of the group (its predecessor's, ADR 0077, or one brought back).
   * Records older than an hour are dropped on the way.
   */
  async left(memberId: string): Promise<void> {
    await this.dataSource.query(
      `WITH old AS (DELETE FROM consumer_member_left WHERE group_id = $1 AND left_at < now() - interval '1 hour')
       INSERT INTO consumer_member_left (group_id, member_id, left_at) VALUES ($1, $2, now())
       ON CONFLICT (group_id, member_id) DO UPDATE SET left_at = now()`,
      [this.groupId, memberId],
    );
  }

  /**
   * The members of this group that left it by LeaveGroup within the last `withinMs`, whoever sent it: a
   * broker that restarts before the group's next generation is stored brings them back (ADR 0094).
   */
  async recentlyLeft(withinMs: number): Promise<string[]> {
    const rows: Array<{ member_id: string }> = await this.dataSource.query(
      `SELECT member_id FROM consumer_member_left WHERE group_id = $1 AND left_at > now() - make_interval(secs => $2::float8 / 1000)`,
      [this.groupId, withinMs],
    );
    return rows.map((row) => row.member_id);
  }
}

/**
 * The members that left their group by LeaveGroup in the last hour (ADR 0094), whoever sent it: a graceful
 * stop, or an instance taking out a member left behind (ADR 0077). A table of its own: the member an
 * instance removes is its predecessor's, whose `consumer_member` row the instance takes over.
 */
export class ConsumerMembersLeft1763800005250 implements MigrationInterface {
  name = 'ConsumerMembersLeft1763800005250';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE consumer_member_left (
        group_id text NOT NULL,
        member_id text NOT NULL,
        left_at timestamptz NOT NULL,
        PRIMARY KEY (group_id, member_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE consumer_member_left`);
  }
}

/** The table behind ConsumerMembers: one row per consumer group and instance (ADR 0077). */
export class ConsumerMembers1763800001170 implements MigrationInterface {
  name = 'ConsumerMembers1763800001170';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE consumer_member (
        group_id text NOT NULL,
        instance text NOT NULL,
        member_id text NOT NULL,
        host text NOT NULL,
        pid integer NOT NULL,
        boot text NOT NULL,
        joined_at timestamptz NOT NULL,
        PRIMARY KEY (group_id, instance)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE consumer_member`);
  }
}
