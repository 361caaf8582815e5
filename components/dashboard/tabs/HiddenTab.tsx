"use client";
// One hidden tab of the several-tabs experiment: the dashboard's token
// keeper (../jwt/cross-tab.ts), unchanged, driven by the experiment's page
// instead of a clock. It runs only in a credentialless iframe, whose cookie
// jar is shared with the experiment's other tabs and not with the page: the
// refresh cookie it is given must never replace the dashboard's own.
import { useEffect } from "react";
import { REFRESH_PATH } from "@/lib/cookie-names";
import { createTokenKeeper, readRefreshAnswer, type TokenKeeper } from "../jwt/cross-tab";
import { decodeJwt } from "../jwt-decode";
import { experimentNames, type TabOrder, type TabOutcome, type TabReport, type TabsMode } from "./protocol";

async function postJson(
  path: string,
  body?: unknown,
): Promise<{ status: number | null; body: Record<string, unknown> | null }> {
  try {
    const response = await fetch(path, {
      method: "POST",
      cache: "no-store",
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    return {
      status: response.status,
      body: (await response.json().catch(() => null)) as Record<string, unknown> | null,
    };
  } catch {
    return { status: null, body: null };
  }
}

export function HiddenTab({ tab, mode, run }: { tab: number; mode: TabsMode; run: string }) {
  useEffect(() => {
    const parent = window.parent;
    const tell = (report: TabReport) => parent.postMessage(report, window.location.origin);
    const credentialless = (window as Window & { credentialless?: boolean }).credentialless === true;
    if (parent === window || !credentialless) {
      tell({ type: "ready", tab, credentialless });
      return;
    }
    let sent = 0;
    const keeper: TokenKeeper = createTokenKeeper({
      coordinate: mode === "locks" && { names: experimentNames(run) },
      onToken: () => undefined,
      exchange: async () => {
        sent++;
        const answer = await postJson(REFRESH_PATH);
        return readRefreshAnswer(answer.status, answer.body);
      },
    });

    async function obey(order: TabOrder): Promise<TabOutcome> {
      if (order.type === "sign-in") {
        const answer = await postJson("/api/auth/token", {
          email: order.email,
          password: order.password,
          client_id: order.clientId,
        });
        const read = readRefreshAnswer(answer.status, answer.body);
        if (read.kind !== "token") return "sign-in-failed";
        keeper.adopt(read.token);
        return "signed-in";
      }
      if (order.type === "open") return (await keeper.restore())?.kind ?? "from-tab";
      // A tab already signed out has no timer left to fire.
      return keeper.current() ? (await keeper.refresh(true)).kind : "nothing";
    }

    const listen = (event: MessageEvent<TabOrder>) => {
      if (event.source !== parent || event.origin !== window.location.origin) return;
      const order = event.data;
      void obey(order)
        .catch((): TabOutcome => "error")
        .then((outcome) => {
          const held = keeper.current();
          const sid = held ? decodeJwt(held)?.payload.sid : null;
          tell({
            type: "report",
            tab,
            step: order.step,
            sent,
            holdsToken: held !== null,
            family: typeof sid === "string" ? sid : null,
            outcome,
          });
        });
    };
    window.addEventListener("message", listen);
    tell({ type: "ready", tab, credentialless });
    return () => {
      window.removeEventListener("message", listen);
      keeper.close();
    };
  }, [tab, mode, run]);
  return <p>Hidden tab {tab + 1} of the several-tabs experiment.</p>;
}
