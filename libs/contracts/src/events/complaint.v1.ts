import { IsDateString, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';
import { IsUscc } from '../uscc';
import { Topics } from '../topics';

/** 投诉 (a complaint about one's own loss), 举报 (a report of a violation), 紧急 (an urgent matter, e.g. food safety now). */
export const COMPLAINT_KINDS = ['complaint', 'report', 'urgent'] as const;
export type ComplaintKind = (typeof COMPLAINT_KINDS)[number];

/** Where a complaint came in: a department's own window or the 12345 government service hotline's system. */
export const COMPLAINT_CHANNELS = ['window', 'hotline_12345'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];

/**
 * A complaint or report (投诉举报) was registered about an entity. No complainant data (whistle-blower
 * protection). Complaint counts are a risk signal: credit keeps them beside the record.
 */
export class ComplaintRegisteredV1 {
  static readonly type = 'backbone.enforcement.complaint-registered.v1';
  static readonly topic = Topics.EnforcementEvents;

  @IsUUID() complaintId: string;
  @IsUscc() uscc: string;
  @IsIn(COMPLAINT_KINDS) kind: ComplaintKind;
  @IsIn(COMPLAINT_CHANNELS) channel: ComplaintChannel;
  /** The department that handles and answers it. */
  @IsString() @Length(1, 64) department: string;
  /** The earliest complaint about the same entity within the repeat window, when this one repeats it. */
  @IsOptional() @IsUUID() repeatOf?: string;
  /** How many earlier complaints about the entity fall within the repeat window. */
  @IsInt() @Min(0) repeatCount: number;
  @IsDateString() answerDeadline: string;
  @IsDateString() registeredAt: string;
}

/**
 * A complaint was answered. The channel's system (the 12345 hotline) relays the answer to the citizen:
 * `externalRef` is its own ticket number.
 */
export class ComplaintAnsweredV1 {
  static readonly type = 'backbone.enforcement.complaint-answered.v1';
  static readonly topic = Topics.EnforcementEvents;

  @IsUUID() complaintId: string;
  @IsUscc() uscc: string;
  @IsIn(COMPLAINT_CHANNELS) channel: ComplaintChannel;
  @IsOptional() @IsString() @Length(1, 64) externalRef?: string;
  @IsString() @Length(1, 64) department: string;
  @IsString() @Length(1, 4000) answer: string;
  /** Compare with answeredAt: whether the answer came late. */
  @IsDateString() answerDeadline: string;
  @IsDateString() answeredAt: string;
}

/** Less than one working day is left to answer a complaint (the handling department's work queue shows it). */
export class ComplaintAnswerReminderV1 {
  static readonly type = 'backbone.enforcement.complaint-answer-reminder.v1';
  static readonly topic = Topics.EnforcementEvents;

  @IsUUID() complaintId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) department: string;
  @IsDateString() answerDeadline: string;
  @IsDateString() remindedAt: string;
}

/** A complaint was not answered by its deadline: escalated for supervision (督办). */
export class ComplaintEscalatedV1 {
  static readonly type = 'backbone.enforcement.complaint-escalated.v1';
  static readonly topic = Topics.EnforcementEvents;

  @IsUUID() complaintId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) department: string;
  @IsIn(COMPLAINT_CHANNELS) channel: ComplaintChannel;
  @IsOptional() @IsString() @Length(1, 64) externalRef?: string;
  @IsDateString() answerDeadline: string;
  @IsDateString() escalatedAt: string;
}
