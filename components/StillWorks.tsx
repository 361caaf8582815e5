"use client";
// How long an ended token device's access token keeps working (denylist
// mode off): nothing can stop it before exp, so the page counts down.
import { Countdown, useNow } from "@/components/dashboard/time";

export function StillWorks({ until }: { until: string }) {
  const now = useNow();
  return Date.parse(until) > now ? (
    <>
      its access token still works, expiring <Countdown until={until} now={now} testId="still-works-countdown" />
    </>
  ) : (
    <>its access token has expired too</>
  );
}
