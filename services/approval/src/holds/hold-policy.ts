import { Injectable, OnModuleInit } from '@nestjs/common';
import { ReadinessProbes } from '@backbone/platform';
import { ApprovalConfig } from '../approval.config';
import { parseHoldItems } from './hold-rule';

/**
 * Which items are held while their entity has an open enforcement case (HOLD_ITEMS_DURING_OPEN_CASE), said
 * where callers look: in every approval's `publication.holdDuringOpenCase`, and under `details.holds` of
 * /health, so that an agency sees at once whether holds are configured at all (the default is none).
 */
@Injectable()
export class HoldPolicy implements OnModuleInit {
  readonly items: ReadonlySet<string>;

  constructor(
    config: ApprovalConfig,
    private readonly probes: ReadinessProbes,
  ) {
    this.items = parseHoldItems(config.HOLD_ITEMS_DURING_OPEN_CASE);
  }

  onModuleInit(): void {
    this.probes.describe('holds', () => this.describe());
  }

  appliesTo(itemCode: string): boolean {
    return this.items.has('*') || this.items.has(itemCode);
  }

  describe() {
    return {
      configured: this.items.size > 0,
      items: this.items.has('*') ? ['*'] : [...this.items].sort(),
      setting: 'HOLD_ITEMS_DURING_OPEN_CASE',
    };
  }
}
