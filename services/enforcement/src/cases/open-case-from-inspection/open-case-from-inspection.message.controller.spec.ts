import { plainToInstance } from 'class-transformer';
import { InspectionRecordedV1 } from '@backbone/contracts';
import { caseFromInspection } from './open-case-from-inspection.message.controller';

function inspection(overrides: Record<string, unknown> = {}): InspectionRecordedV1 {
  return plainToInstance(InspectionRecordedV1, {
    inspectionId: '5d0c1c9e-4a51-4d0e-9a53-2f7f4f1d8a02',
    approvalId: '5d0c1c9e-4a51-4d0e-9a53-2f7f4f1d8a03',
    uscc: '91320700MA00000001',
    department: '320700-SAMR',
    inspector: '张三',
    result: 'non_compliant',
    violations: [
      { code: 'FOOD-001', description: '过期食品' },
      { code: 'FOOD-007', description: '未公示许可证' },
      { code: 'FOOD-001', description: '另一批过期食品' },
    ],
    inspectedAt: '2026-03-01T09:00:00Z',
    ...overrides,
  });
}

describe('caseFromInspection', () => {
  it('opens no case for a compliant result', () => {
    expect(caseFromInspection(inspection({ result: 'compliant', violations: [] }), 'corr-1')).toBeNull();
  });

  it('opens no case for a non-compliant result that names no violation', () => {
    expect(caseFromInspection(inspection({ violations: [] }), 'corr-1')).toBeNull();
  });

  it("opens a case in the inspecting department, in the event's loop, one code per violation kind", () => {
    const opened = caseFromInspection(inspection(), 'corr-1');
    expect(opened).toMatchObject({
      correlationId: 'corr-1',
      uscc: '91320700MA00000001',
      approvalId: '5d0c1c9e-4a51-4d0e-9a53-2f7f4f1d8a03',
      inspectionId: '5d0c1c9e-4a51-4d0e-9a53-2f7f4f1d8a02',
      department: '320700-SAMR',
      violationCodes: ['FOOD-001', 'FOOD-007'],
      source: 'inspection',
      sourceKey: 'inspection:5d0c1c9e-4a51-4d0e-9a53-2f7f4f1d8a02',
    });
  });

  it('opens a case without an approval when the inspection had none (e.g. unlicensed operation)', () => {
    expect(caseFromInspection(inspection({ approvalId: undefined }), 'corr-2')?.approvalId).toBeNull();
  });
});
