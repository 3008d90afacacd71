import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { inspectionError } from '../../inspection.errors';
import { InspectionItem } from '../inspection-item.entity';
import type { DefineItemRequest } from './define-item.request.dto';

/** Versions an item of the caller's list: the new version is current, the old one superseded (kept). */
@Injectable()
export class DefineItemService {
  constructor(private readonly dataSource: DataSource) {}

  define(department: string, code: string, request: DefineItemRequest): Promise<InspectionItem> {
    if (request.minRatioBp > request.maxRatioBp) {
      throw inspectionError('INVALID_ITEM', 'minRatioBp: must not exceed maxRatioBp');
    }
    return this.dataSource.transaction(async (manager) => {
      // Serialises versions of one item (two writers would otherwise both read version n).
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`item:${department}:${code}`]);
      const current = await manager.findOneBy(InspectionItem, { department, code, supersededAt: IsNull() });
      const now = new Date();
      if (current) await manager.update(InspectionItem, { id: current.id }, { supersededAt: now });
      const item = manager.create(InspectionItem, {
        id: randomUUID(),
        department,
        code,
        version: (current?.version ?? 0) + 1,
        name: request.name,
        legalBasis: request.legalBasis,
        inspectingDepartments: [...new Set(request.inspectingDepartments)],
        entityTypes: request.objectScope.entityTypes,
        industries: request.objectScope.industries,
        licenceItemCodes: request.objectScope.licenceItemCodes,
        regionPrefixes: request.objectScope.regionPrefixes,
        method: request.method,
        kind: request.kind,
        minRatioBp: request.minRatioBp,
        maxRatioBp: request.kind === 'key' ? Math.max(request.maxRatioBp, request.minRatioBp) : request.maxRatioBp,
        frequencyPerYear: request.frequencyPerYear,
        withdrawn: request.withdrawn ?? false,
        validFrom: now,
        supersededAt: null,
      });
      await manager.insert(InspectionItem, item);
      return item;
    });
  }
}
