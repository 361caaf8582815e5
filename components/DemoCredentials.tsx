import { DEMO_USER } from "@/lib/showcase/demo";

export function DemoCredentials() {
  return (
    <aside
      aria-label="Demo account"
      className="self-start rounded-lg border border-dashed border-zinc-300 p-4 text-sm dark:border-zinc-700"
    >
      <p className="font-medium">Just looking? A demo account exists:</p>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 font-mono text-xs">
        <dt className="text-zinc-500 dark:text-zinc-400">email</dt>
        <dd data-testid="demo-email">{DEMO_USER.email}</dd>
        <dt className="text-zinc-500 dark:text-zinc-400">password</dt>
        <dd data-testid="demo-password">{DEMO_USER.password}</dd>
      </dl>
    </aside>
  );
}
