/**
 * How the consumer members of one run left their groups, read from the Kafka broker's own log
 * (`server.log` of the group coordinator): by LeaveGroup (a graceful stop, or a successor removing a
 * member a dead process left behind, ADR 0077), or dropped by the coordinator when their session ran
 * out (a member nobody removed: the group waited for it).
 */
export interface GroupDepartures {
  left: number;
  expired: number;
  /** The expired members, as `group member`. */
  expiredMembers: string[];
}

/** Counts departures from the groups whose name starts with `prefix` (a run's Kafka namespace and a dot). */
export function groupDepartures(log: string, prefix: string): GroupDepartures {
  const departures: GroupDepartures = { left: 0, expired: 0, expiredMembers: [] };
  for (const line of log.split('\n')) {
    const left = /MemberMetadata\(memberId=[^,]+,.*\) has left group (\S+) through explicit `LeaveGroup`/.exec(line);
    if (left && left[1].startsWith(prefix)) departures.left++;
    const expired = /Member (\S+) in group (\S+) has failed, removing it from the group/.exec(line);
    if (expired && expired[2].startsWith(prefix)) {
      departures.expired++;
      departures.expiredMembers.push(`${expired[2]} ${expired[1]}`);
    }
  }
  return departures;
}
