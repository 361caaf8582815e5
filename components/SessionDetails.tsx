import type { SessionView } from "@/lib/auth/session";
import { describeDevice } from "@/lib/device";
import { Time } from "@/components/Time";
import { Facts } from "@/components/Facts";

export function SessionDetails({ session }: { session: SessionView }) {
  const rows: [string, React.ReactNode][] = [
    ["Record id (public handle)", <code key="id">{session.id}</code>],
    ["Token hash (prefix)", <code key="h">{session.tokenHashPrefix}…</code>],
    ["Created", <Time key="c" value={session.createdAt} />],
    ["Last seen", <Time key="l" value={session.lastSeenAt} />],
    ["Idle expiry", <Time key="i" value={session.idleExpiresAt} />],
    ["Absolute expiry", <Time key="a" value={session.absoluteExpiresAt} />],
    ["Address", session.ip ?? "unknown"],
    [
      "Device",
      <span key="d" title={session.userAgent ?? undefined}>
        {describeDevice(session.userAgent)}
      </span>,
    ],
  ];
  return <Facts rows={rows} testId="session-details" />;
}
