import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** Business scope keyword → the licence item it needs, who grants it and who the law names for "no permit". */
@Entity('scope_licence_rule')
@Check('scope_licence_rule_region_code_check', "(region_code ~ '^[0-9]{6}$'::text)")
@Unique('scope_licence_rule_keyword_item_code_region_code_key', ['keyword', 'itemCode', 'regionCode'])
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
@Index('entity_registration_uscc', ['uscc'])
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
@Unique('entity_notification_registration_id_item_code_licensing_dep_key', ['registrationId', 'itemCode', 'licensingDepartment'])
@Index('entity_notification_awaiting', ['licenceDueAt'], { where: '((licensed_at IS NULL) AND (clue_id IS NULL))' })
@Index('entity_notification_department', ['licensingDepartment', 'notifiedAt', 'id'])
@Index('entity_notification_unlicensed', ['uscc', 'itemCode'], { where: '(licensed_at IS NULL)' })
@ForeignKey(() => EntityRegistration, ['registrationId'], ['id'], { name: 'entity_notification_registration_id_fkey' })
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
  @Column({ type: 'jsonb', default: '[]' }) feedback: NotificationFeedback[];
  @Column({ name: 'notified_at', type: 'timestamptz' }) notifiedAt: Date;
}
