import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Between, DataSource, EntityManager } from 'typeorm';
import { ComplaintCategory, ComplaintChannel, ComplaintKind, ComplaintRegisteredV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { EnforcementConfig, knownDepartments } from '../../enforcement.config';
import { ComplaintErrors } from '../complaint.errors';
import { Complaint } from '../complaint.entity';
import { answerDeadline, parseAnswerDays, repeatLink } from '../complaint.rules';

export interface NewComplaint {
  uscc: string;
  kind: ComplaintKind;
  channel: ComplaintChannel;
  department: string;
  complainant: string;
  contact?: string;
  content: string;
  violationCodes?: string[];
  externalRef?: string;
  /** What the matter is about, when the channel says (the hotline's category). */
  category?: ComplaintCategory;
}

/**
 * Registers a complaint (登记) in the department that will handle it: its answer deadline in working
 * days per kind, its link to earlier complaints about the same entity, and ComplaintRegisteredV1 (no
 * complainant data) for the entity's risk signal, in one transaction.
 */
@Injectable()
export class RegisterComplaintService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly config: EnforcementConfig,
  ) {}

  register(input: NewComplaint, now = new Date()): Promise<Complaint> {
    return this.dataSource.transaction((manager) => this.registerIn(manager, input, null, now));
  }

  /**
   * The 12345 hotline's intake: the same Idempotency-Key with the same body answers the complaint it
   * registered (created: false); with another body it is refused; a new key registers.
   */
  intake(client: string, key: string, input: NewComplaint, now = new Date()): Promise<{ complaint: Complaint; created: boolean }> {
    const intakeKey = `${client}:${key}`;
    const digest = createHash('sha256').update(JSON.stringify(input)).digest('hex');
    return this.dataSource.transaction(async (manager) => {
      // Serialises concurrent retries of one key: the second waits, then finds the first's complaint.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [intakeKey]);
      const existing = await manager.findOneBy(Complaint, { intakeKey });
      if (existing) {
        if (existing.intakeDigest !== digest) throw ComplaintErrors.idempotencyKeyReused(key, existing.id);
        return { complaint: existing, created: false };
      }
      return { complaint: await this.registerIn(manager, input, { intakeKey, digest }, now), created: true };
    });
  }

  /**
   * A work order the 12345 hotline's system posted at the integration intake, registered in the inbox
   * transaction of its event. The ticket number is the work order's identity (`<hotline>:<ticket>`, the
   * key space of the REST intake too): a work order sent again, under a new event id or through the
   * REST intake before, registers nothing (created: false).
   */
  async registerWorkOrder(
    manager: EntityManager,
    hotline: string,
    ticketNumber: string,
    input: NewComplaint,
    now = new Date(),
  ): Promise<{ complaint: Complaint; created: boolean }> {
    const intakeKey = `${hotline}:${ticketNumber}`;
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [intakeKey]);
    const existing = await manager.findOneBy(Complaint, { intakeKey });
    if (existing) return { complaint: existing, created: false };
    const digest = createHash('sha256').update(JSON.stringify(input)).digest('hex');
    return { complaint: await this.registerIn(manager, input, { intakeKey, digest }, now), created: true };
  }

  private async registerIn(
    manager: EntityManager,
    input: NewComplaint,
    intake: { intakeKey: string; digest: string } | null,
    now: Date,
  ): Promise<Complaint> {
    if (!knownDepartments(this.config).has(input.department)) throw ComplaintErrors.unknownDepartment(input.department);
    // One entity's complaints are registered one at a time, so that repeats are counted exactly.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`complaint:${input.uscc}`]);
    const windowStart = new Date(now.getTime() - this.config.COMPLAINT_REPEAT_WINDOW_DAYS * 86_400_000);
    const earlier = await manager.find(Complaint, {
      select: { id: true, registeredAt: true, repeatOf: true },
      where: { uscc: input.uscc, registeredAt: Between(windowStart, now) },
      order: { registeredAt: 'ASC', id: 'ASC' },
    });
    const link = repeatLink(earlier, now, this.config.COMPLAINT_REPEAT_WINDOW_DAYS);
    const complaint: Complaint = Object.assign(new Complaint(), {
      id: randomUUID(),
      uscc: input.uscc,
      department: input.department,
      kind: input.kind,
      channel: input.channel,
      externalRef: input.externalRef ?? null,
      category: input.category ?? null,
      complainant: input.complainant,
      contact: input.contact ?? null,
      content: input.content,
      violationCodes: input.violationCodes ?? [],
      status: 'registered' as const,
      caseId: null,
      answer: null,
      registeredAt: now,
      answerDeadline: answerDeadline(input.kind, now, parseAnswerDays(this.config.COMPLAINT_ANSWER_WORKING_DAYS)),
      acceptedAt: null,
      acceptedBy: null,
      answeredAt: null,
      remindedAt: null,
      escalatedAt: null,
      repeatOf: link.repeatOf,
      repeatCount: link.repeatCount,
      intakeKey: intake?.intakeKey ?? null,
      intakeDigest: intake?.digest ?? null,
      transfers: [],
    });
    await manager.insert(Complaint, complaint);
    await this.outbox.add(manager, ComplaintRegisteredV1, {
      subject: complaint.uscc,
      correlationId: complaint.id,
      data: {
        complaintId: complaint.id,
        uscc: complaint.uscc,
        kind: complaint.kind,
        channel: complaint.channel,
        department: complaint.department,
        ...(complaint.repeatOf ? { repeatOf: complaint.repeatOf } : {}),
        repeatCount: complaint.repeatCount,
        answerDeadline: complaint.answerDeadline.toISOString(),
        registeredAt: complaint.registeredAt.toISOString(),
      },
    });
    return complaint;
  }
}
