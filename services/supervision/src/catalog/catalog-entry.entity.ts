import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RoutingRule } from '@backbone/contracts';

/**
 * One entry of the supervision item catalog (监管事项目录清单): which approval item it covers in which
 * region, and who supervises it.
 */
@Entity('catalog_entry')
export class CatalogEntry {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'item_code', type: 'text' }) itemCode: string;
  /** Six-digit division code; an entry of a city (xxxx00) or province (xx0000) covers the divisions under it. */
  @Column({ name: 'region_code', type: 'text' }) regionCode: string;
  @Column({ name: 'item_name', type: 'text' }) itemName: string;
  /** integrated (审管一体): the approver supervises; separated (审管分离): the industry authority does. */
  @Column({ type: 'text' }) mode: RoutingRule;
  @Column({ name: 'supervising_department', type: 'text', nullable: true }) supervisingDepartment: string | null;
  @Column({ name: 'claim_deadline_days', type: 'int' }) claimDeadlineDays: number;
  @Column({ type: 'int' }) version: number;
}
