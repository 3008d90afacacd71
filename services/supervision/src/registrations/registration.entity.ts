import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** Business scope keyword → the licence item it needs, who grants it and who the law names for "no permit". */
@Entity('scope_licence_rule')
export class ScopeLicenceRule {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'text' }) keyword: string;
  @Column({ name: 'item_code', type: 'text' }) itemCode: string;
  @Column({ name: 'item_name', type: 'text' }) itemName: string;
  @Column({ name: 'region_code', type: 'text' }) regionCode: string;
  @Column({ name: 'licensing_department', type: 'text' }) licensingDepartment: string;
  @Column({ name: 'competent_department', type: 'text' }) competentDepartment: string;
}

/** An entity registration posted by the market regulator (the start of 双告知). */
@Entity('entity_registration')
export class EntityRegistration {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'text' }) uscc: string;
  @Column({ name: 'entity_name', type: 'text' }) entityName: string;
  @Column({ name: 'region_code', type: 'text' }) regionCode: string;
  @Column({ name: 'business_scope', type: 'text' }) businessScope: string;
  @Column({ name: 'item_codes', type: 'text', array: true }) itemCodes: string[];
  @Column({ name: 'registered_by', type: 'text' }) registeredBy: string;
  @Column({ name: 'registered_at', type: 'timestamptz' }) registeredAt: Date;
  @Column({ name: 'correlation_id', type: 'text' }) correlationId: string;
  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' }) recordedAt: Date;
}

export interface NotificationFeedback {
  department: string;
  action: string;
  note: string;
  at: string;
}

/** One licensing department told about one registered entity and one licence it needs (双告知 / 双反馈). */
@Entity('entity_notification')
export class EntityNotification {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'registration_id', type: 'uuid' }) registrationId: string;
  @Column({ type: 'text' }) uscc: string;
  @Column({ name: 'entity_name', type: 'text' }) entityName: string;
  @Column({ name: 'item_code', type: 'text' }) itemCode: string;
  @Column({ name: 'item_name', type: 'text' }) itemName: string;
  @Column({ name: 'licensing_department', type: 'text' }) licensingDepartment: string;
  @Column({ name: 'competent_department', type: 'text' }) competentDepartment: string;
  @Column({ name: 'licence_due_at', type: 'timestamptz' }) licenceDueAt: Date;
  @Column({ name: 'licensed_at', type: 'timestamptz', nullable: true }) licensedAt: Date | null;
  @Column({ name: 'licence_approval_id', type: 'uuid', nullable: true }) licenceApprovalId: string | null;
  @Column({ name: 'clue_id', type: 'uuid', nullable: true }) clueId: string | null;
  @Column({ name: 'clue_at', type: 'timestamptz', nullable: true }) clueAt: Date | null;
  @Column({ type: 'jsonb' }) feedback: NotificationFeedback[];
  @Column({ name: 'notified_at', type: 'timestamptz' }) notifiedAt: Date;
}
