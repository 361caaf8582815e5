import type { Metadata } from "next";
import { Dashboard } from "@/components/dashboard/Dashboard";
import { DEMO_USER, demoUserExists } from "@/lib/showcase/demo";
import { config } from "@/lib/config";
import { AnsweredTable } from "@/components/lab/AnsweredTable";
import { lastLabRun } from "@/lib/showcase/lab-run";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const demo = (await demoUserExists()) ? { email: DEMO_USER.email, password: DEMO_USER.password } : null;
  return (
    <div className="space-y-6">
      <header className="max-w-3xl space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">Dashboard</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Sign in one way, the other, or both. Everything below is read from real requests this page makes, and every
          request is in the log at the bottom.
        </p>
      </header>
      <AnsweredTable last={await lastLabRun()} />
      <Dashboard demo={demo} demoControls={config().demoControls} resourceServerUrl={config().resourceServerUrl} />
    </div>
  );
}
