import { closeOutcome } from './close-case.service';

describe('closeOutcome', () => {
  it('is executed after execution, and no penalty before any decision', () => {
    expect(closeOutcome('executed')).toBe('executed');
    expect(closeOutcome('opened')).toBe('no_penalty');
    expect(closeOutcome('investigating')).toBe('no_penalty');
    expect(closeOutcome('under_review')).toBe('no_penalty');
  });
});
