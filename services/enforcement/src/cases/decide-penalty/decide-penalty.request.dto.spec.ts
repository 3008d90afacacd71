import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { DecidePenaltyRequest } from './decide-penalty.request.dto';

/** Validates as the request pipe does; each problem as `field rule`, nested fields dotted. */
function problems(body: Record<string, unknown>): string[] {
  const flatten = (errors: ValidationError[], prefix = ''): string[] =>
    errors.flatMap((error) => {
      const field = prefix ? `${prefix}.${error.property}` : error.property;
      return [...Object.keys(error.constraints ?? {}).map((rule) => `${field} ${rule}`), ...flatten(error.children ?? [], field)];
    });
  return flatten(validateSync(plainToInstance(DecidePenaltyRequest, body), { whitelist: true, forbidNonWhitelisted: true }));
}

const fine = { decisionNumber: '连市监罚〔2026〕12号', penalties: [{ kind: 'fine', amount: 5000 }] };

describe('DecidePenaltyRequest', () => {
  it('accepts a fine with its amount', () => {
    expect(problems(fine)).toEqual([]);
  });

  it('accepts a suspension with its licence action and a date', () => {
    expect(
      problems({
        decisionNumber: 'X-1',
        penalties: [{ kind: 'licence_suspension' }, { kind: 'fine', amount: 1200.5 }],
        licenceAction: { action: 'suspend', until: '2026-06-30', reason: '超范围经营' },
      }),
    ).toEqual([]);
  });

  it('needs at least one penalty', () => {
    expect(problems({ ...fine, penalties: [] })).toContain('penalties arrayMinSize');
  });

  it('names a nested penalty by its index', () => {
    expect(problems({ ...fine, penalties: [{ kind: 'flogging' }] })).toEqual(['penalties.0.kind isIn']);
  });

  it('needs an amount for a fine or a confiscation', () => {
    expect(problems({ ...fine, penalties: [{ kind: 'confiscation' }] })).toContain('penalties.0.amount isNumber');
  });

  it('refuses an amount on a penalty that has none', () => {
    expect(problems({ ...fine, penalties: [{ kind: 'warning', amount: 100 }] })).toEqual([
      'penalties.0.amount amountOnlyForMonetaryPenalty',
    ]);
  });

  it('refuses negative amounts and sub-fen precision', () => {
    expect(problems({ ...fine, penalties: [{ kind: 'fine', amount: -1 }] })).toContain('penalties.0.amount min');
    expect(problems({ ...fine, penalties: [{ kind: 'fine', amount: 1.234 }] })).toContain('penalties.0.amount isNumber');
  });

  it('refuses a licence revocation penalty the approver would never hear about', () => {
    expect(problems({ decisionNumber: 'X-2', penalties: [{ kind: 'licence_revocation' }] })).toEqual([
      'penalties penaltiesMatchLicenceAction',
    ]);
  });

  it('refuses a licence action without the penalty that decides it', () => {
    expect(problems({ ...fine, licenceAction: { action: 'revoke', reason: 'x' } })).toEqual(['penalties penaltiesMatchLicenceAction']);
  });

  it('needs a date for a suspension or a rectification, not for a revocation', () => {
    expect(problems({ ...fine, licenceAction: { action: 'rectify', reason: '限期整改' } })).toEqual([
      'licenceAction.until isRfc3339DateTime',
    ]);
    expect(
      problems({ decisionNumber: 'X-3', penalties: [{ kind: 'licence_revocation' }], licenceAction: { action: 'revoke', reason: 'x' } }),
    ).toEqual([]);
  });

  it('refuses unknown fields, nested ones too', () => {
    expect(problems({ ...fine, penalties: [{ kind: 'fine', amount: 1, currency: 'USD' }] })).toEqual([
      'penalties.0.currency whitelistValidation',
    ]);
  });
});
