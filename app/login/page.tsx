import type { Metadata } from "next";
import Link from "next/link";
import { LoginForm } from "@/components/LoginForm";
import { DemoCredentials } from "@/components/DemoCredentials";
import { demoUserExists } from "@/lib/showcase/demo";
import { getCurrentSession } from "@/lib/auth/current-session";
import { invalidSessionMessage } from "@/lib/auth/session";
import { safeNextPath } from "@/lib/safe-redirect";
import type { InvalidReason } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

const REASONS: InvalidReason[] = ["malformed", "unknown", "idle", "absolute", "password_changed"];

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  const reason = REASONS.find((r) => r === params.reason);
  const [current, showDemo] = await Promise.all([getCurrentSession(), demoUserExists()]);
  return (
    <div className="mx-auto grid max-w-3xl gap-8 md:grid-cols-[1fr_16rem]">
      <section className="space-y-4">
        <header className="space-y-2">
          <h1 className="text-2xl font-semibold tracking-tight">Sign in with a session</h1>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            The server creates a session record and gives your browser an HttpOnly cookie holding its sealed id.
          </p>
        </header>
        {reason ? (
          <p
            data-testid="signed-out-reason"
            className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
          >
            You were signed out. {invalidSessionMessage(reason)}
          </p>
        ) : null}
        {current.status === "unavailable" ? (
          <p
            data-testid="session-store-unavailable"
            className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
          >
            The database is unavailable: your session cannot be checked, and signing in will not work until it is back.
          </p>
        ) : null}
        {current.status === "valid" ? (
          <p className="rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-800 dark:bg-sky-950/40 dark:text-sky-200">
            You are signed in as <span className="font-medium">{current.user.email}</span>. Signing in again replaces
            this session with a new one.
          </p>
        ) : null}
        <LoginForm next={next} />
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          No account?{" "}
          <Link href="/register" className="font-medium text-sky-700 underline underline-offset-4 dark:text-sky-400">
            Create one
          </Link>
        </p>
      </section>
      {showDemo ? <DemoCredentials /> : null}
    </div>
  );
}
