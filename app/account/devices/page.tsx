import type { Metadata } from "next";
import Link from "next/link";
import { requireSession } from "@/lib/auth/current-session";
import type { Device } from "@/lib/auth/devices";
import { isDenylistEnabled } from "@/lib/auth/denylist";
import { endDeviceAction, signOutEverywhereAction } from "@/app/account/actions";
import { describeDevice } from "@/lib/device";
import { listVisibleDevices, refuseOnSharedDemoAccount } from "@/lib/showcase/demo";
import { Button } from "@/components/Button";
import { StillWorks } from "@/components/StillWorks";
import { Time } from "@/components/Time";

export const metadata: Metadata = { title: "My devices" };

const KIND = {
  session: "Browser session",
  token: "Token client",
} as const;

// "Firefox on Linux: Browser session"; a client no browser pattern knows
// (a command-line client, say) by the start of its own user agent.
function what(device: Pick<Device, "kind" | "client_id" | "user_agent">): string {
  const client = device.kind === "token" ? ` (client_id ${device.client_id})` : "";
  const known = describeDevice(device.user_agent);
  const name = known === "Unknown device" && device.user_agent ? device.user_agent.slice(0, 40) : known;
  return `${name}: ${KIND[device.kind]}${client}`;
}

export default async function DevicesPage({
  searchParams,
}: {
  searchParams: Promise<{ refused?: string; confirm?: string }>;
}) {
  const { session, user } = await requireSession("/account/devices");
  const query = await searchParams;
  const { devices, hidden, ended } = await listVisibleDevices(user, { kind: "session", id: session.id });
  const denylist = await isDenylistEnabled();
  const refusal = query.refused === "shared-demo" ? refuseOnSharedDemoAccount(user.email) : null;
  const confirming = query.confirm === "all" && !refusal;
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div className="space-y-1">
          <h1 className="text-2xl font-semibold tracking-tight">My devices</h1>
          <p className="max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
            Everything signed in to <span className="font-medium text-zinc-900 dark:text-zinc-100">{user.email}</span>:
            browser sessions and token clients (an API client, the dashboard&apos;s browser client). Ending a session
            deletes its record: that device is signed out on its very next request. Ending a token client revokes its
            refresh token at once;{" "}
            {denylist
              ? "denylist mode is on, so its access token is refused at once too."
              : "denylist mode is off, so its access token keeps working until it expires (counted down below)."}
          </p>
        </div>
        {confirming ? null : (
          <Link
            href="/account/devices?confirm=all"
            data-testid="sign-out-everywhere"
            className="rounded-md border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            Sign out everywhere…
          </Link>
        )}
      </header>
      {confirming ? (
        <form
          action={signOutEverywhereAction}
          data-testid="confirm-everywhere"
          className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100"
        >
          <p>
            End all {devices.length + hidden} device{devices.length + hidden === 1 ? "" : "s"} of this account, this
            browser included{hidden > 0 ? ` and ${hidden} other visitors'` : ""}? You will have to sign in again
            everywhere.
          </p>
          <input type="hidden" name="confirm" value="yes" />
          <div className="flex flex-wrap gap-2">
            <Button type="submit">Yes, sign out everywhere</Button>
            <Link href="/account/devices" className="rounded-md px-4 py-2 font-medium underline underline-offset-4">
              Cancel
            </Link>
          </div>
        </form>
      ) : null}
      {refusal ? (
        <p
          data-testid="devices-refused"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
        >
          {refusal.description}
        </p>
      ) : null}
      {hidden > 0 ? (
        <p data-testid="devices-hidden" className="text-sm text-zinc-600 dark:text-zinc-400">
          This is the shared demo account: {hidden} other visitor
          {hidden === 1 ? "'s device is" : "s' devices are"} not shown.
        </p>
      ) : null}
      <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
        {devices.map((device) => (
          <li
            key={device.id}
            data-testid="device-row"
            data-device-id={device.id}
            data-kind={device.kind}
            data-current={device.current || undefined}
            className="flex flex-wrap items-center justify-between gap-3 px-4 py-3"
          >
            <div className="min-w-0 space-y-1 text-sm">
              <p className="font-medium">
                <span title={device.user_agent ?? undefined}>{what(device)}</span>
                {device.current ? (
                  <span className="ml-2 rounded-full bg-session-100 px-2 py-0.5 text-xs font-medium text-session-700 dark:bg-session-950 dark:text-session-300">
                    this one
                  </span>
                ) : null}
              </p>
              <p className="text-xs text-zinc-600 dark:text-zinc-400">
                from <span className="font-mono">{device.ip ?? "an unknown address"}</span> · signed in{" "}
                <Time value={device.created_at} /> · last used <Time value={device.last_used_at} />
              </p>
            </div>
            <form action={endDeviceAction}>
              <input type="hidden" name="device" value={device.id} />
              <Button
                type="submit"
                tone="secondary"
                className="px-3 py-1 text-xs"
                aria-label={`${device.current ? "Sign out" : "End"} ${what(device)}, signed in ${device.created_at}`}
              >
                {device.current ? "Sign out" : "End"}
              </Button>
            </form>
          </li>
        ))}
      </ul>
      {ended.length > 0 ? (
        <section className="space-y-2" data-testid="ended-still-working">
          <h2 className="text-base font-semibold">Ended, but not yet powerless</h2>
          <ul className="space-y-1 text-sm text-zinc-700 dark:text-zinc-300">
            {ended.map((device) => (
              <li key={device.id} data-testid="ended-device">
                {what(device)}, ended <Time value={device.ended_at} />:{" "}
                <StillWorks until={device.access_token_valid_until} />.
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
