import type { DecideApprovalRequest } from './decide-approval.request.dto';

/** A valid `POST /approvals` body, a food-business licence granted, for the specs of this folder. */
export const grantedLicenceRequest = (uscc: string): DecideApprovalRequest => ({
  applicationNumber: 'LYG-1',
  uscc,
  entityName: '连云港某某食品有限公司',
  itemCode: 'FOOD',
  regionCode: '320703',
  kind: 'licence',
  outcome: 'granted',
  licenceNumber: 'JY-1',
});
