import { reviewerConflict } from './record-legal-review.service';

describe('reviewerConflict', () => {
  const enforcementCase = { investigator: '李强' };

  it('lets someone else review', () => {
    expect(reviewerConflict('陈静', enforcementCase, ['李强', '赵六'], '李强')).toBeNull();
  });

  it('refuses the investigator, an evidence collector and the proposer', () => {
    expect(reviewerConflict('李强', enforcementCase, [], '王芳')).toBe('the investigator of the case');
    expect(reviewerConflict('赵六', enforcementCase, ['赵六'], '王芳')).toBe('a collector of its evidence');
    expect(reviewerConflict('王芳', enforcementCase, [], '王芳')).toBe('the proposer of the decision');
  });
});
