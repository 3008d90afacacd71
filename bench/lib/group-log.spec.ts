import { groupDepartures } from './group-log';

describe('groupDepartures', () => {
  // Lines as Kafka 3.9's group coordinator writes them.
  const log = [
    '[2026-12-01 10:50:05,228] INFO [GroupCoordinator 1]: Member MemberMetadata(memberId=approval-37ee, groupInstanceId=None, clientId=approval, clientHost=/127.0.0.1, sessionTimeoutMs=30000, rebalanceTimeoutMs=60000, supportedProtocols=List(RoundRobinAssigner)) has left group t1.approval through explicit `LeaveGroup`; client reason: not provided (kafka.coordinator.group.GroupCoordinator)',
    '[2026-12-01 10:51:12,594] INFO [GroupCoordinator 1]: Member approval-f99c in group t1.approval has failed, removing it from the group (kafka.coordinator.group.GroupCoordinator)',
    '[2026-12-01 10:51:13,000] INFO [GroupCoordinator 1]: Member supervision-8a66 in group t2.supervision has failed, removing it from the group (kafka.coordinator.group.GroupCoordinator)',
    '[2026-12-01 10:51:14,000] INFO [GroupCoordinator 1]: Stabilized group t1.approval generation 6 (__consumer_offsets-36) with 2 members (kafka.coordinator.group.GroupCoordinator)',
  ].join('\n');

  it("counts the run's members that left by LeaveGroup and those dropped at their session's end", () => {
    expect(groupDepartures(log, 't1.')).toEqual({ left: 1, expired: 1, expiredMembers: ['t1.approval approval-f99c'] });
  });

  it("leaves out other runs' groups", () => {
    expect(groupDepartures(log, 't3.')).toEqual({ left: 0, expired: 0, expiredMembers: [] });
  });
});
