import type { Metadata } from "next";
import { HiddenTab } from "@/components/dashboard/tabs/HiddenTab";
import { RUN_NAME, TAB_MODES, type TabsMode } from "@/components/dashboard/tabs/protocol";

export const metadata: Metadata = { title: "Hidden tab", robots: { index: false } };

type Props = { searchParams: Promise<{ tab?: string; mode?: string; run?: string }> };

// One tab of the dashboard's several-tabs experiment, loaded only in the
// dashboard's own credentialless iframes (the one page that may be framed,
// and only by this origin).
export default async function HiddenTabPage({ searchParams }: Props) {
  const { tab, mode, run } = await searchParams;
  const index = Number(tab);
  const known = (TAB_MODES as readonly string[]).includes(mode ?? "");
  if (!Number.isInteger(index) || index < 0 || index > 15 || !known || !RUN_NAME.test(run ?? "")) {
    return <p>This page is a hidden tab of the dashboard&apos;s several-tabs experiment.</p>;
  }
  return <HiddenTab tab={index} mode={mode as TabsMode} run={run!} />;
}
