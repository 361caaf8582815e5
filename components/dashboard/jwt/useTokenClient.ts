"use client";
// The dashboard's JWT client: the access token in page memory (a reload
// loses it; the HttpOnly refresh cookie brings a new one), refreshed by
// itself shortly before it expires, one tab at a time (./cross-tab.ts), its
// refresh family as the server stores it, and every action the column
// offers. The view (JwtColumn and its parts) only renders what this returns.
import { useCallback, useEffect, useRef, useState } from "react";
import type { TokenHolder } from "@/lib/auth/jwt";
import type { TokenPair } from "@/lib/auth/token-endpoint";
import type { Json } from "@/lib/json";
import type { TokenFamilyInspection } from "@/lib/showcase/token-family-inspector";
import { REFRESH_PATH } from "@/lib/cookie-names";
import type { Traced } from "../requests";
import { useBusy } from "../useBusy";
import { createTokenKeeper, readRefreshAnswer, type Exchanged, type TokenKeeper } from "./cross-tab";

export type Family = Json<TokenFamilyInspection>;
export type Verdict = { ok: boolean; text: string };
type Refused = { error_description?: string };

export const bearer = (value: string) => ({ authorization: `Bearer ${value}` });
export const bearerBytes = (value: string) => new TextEncoder().encode(`Authorization: Bearer ${value}`).length;

export function useTokenClient(traced: Traced) {
  const [token, setToken] = useState<string | null>(null);
  const [family, setFamily] = useState<Family | null>(null);
  const [familyError, setFamilyError] = useState<string | null>(null);
  const [denylist, setDenylist] = useState<boolean | null>(null);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [restoring, setRestoring] = useState(true);
  const { busy, busyWhile } = useBusy();
  // After a refresh that got no usable answer (offline, 429, 5xx): how long
  // to wait before the next try. The token is kept meanwhile.
  // (A new object each time, so that the same pause is scheduled again.)
  const [retry, setRetry] = useState<{ inMs: number } | null>(null);
  const keeper = useRef<TokenKeeper | null>(null);

  const loadFamily = useCallback(
    async (access: string) => {
      const result = await traced<Family & Refused>("jwt", "/api/auth/family", {
        headers: bearer(access),
        credentialBytes: bearerBytes(access),
      });
      setFamily(result.response.ok ? result.body : null);
      setFamilyError(
        result.response.ok
          ? null
          : `The server refused this token: ${result.body?.error_description ?? result.response.status}`,
      );
      if (result.response.ok && result.body) setDenylist(result.body.denylist);
    },
    [traced],
  );

  // Only a refusal (400, 401) signs out; no answer, 429 or 5xx keeps the
  // token and tries again later: a database outage must not cost a token
  // that still verifies.
  const exchange = useCallback(async (): Promise<Exchanged> => {
    let answer: Exchanged;
    try {
      const result = await traced<TokenPair & Refused>("jwt", REFRESH_PATH, { method: "POST" });
      answer = readRefreshAnswer(result.response.status, result.body);
    } catch {
      answer = readRefreshAnswer(null, null);
    }
    setRetry((last) => (answer.kind === "no-answer" ? { inMs: Math.min(last ? last.inMs * 2 : 2000, 60_000) } : null));
    return answer;
  }, [traced]);

  // `due`: the timer fired; then only a failure is worth a word.
  const refresh = useCallback(async (due = false) => {
    const outcome = await keeper.current?.refresh(due);
    if (!outcome || outcome.kind === "from-tab" || (due && outcome.kind === "token")) return;
    setVerdict(
      outcome.kind === "token"
        ? { ok: true, text: "Refreshed: new access token, and the refresh cookie rotated." }
        : outcome.kind === "refused"
          ? { ok: false, text: outcome.reason }
          : { ok: false, text: `Refresh failed (${outcome.status}): keeping the current token, trying again soon.` },
    );
  }, []);

  useEffect(() => {
    const current = createTokenKeeper({
      exchange,
      coordinate: {},
      onToken: (next) => {
        setToken(next);
        if (next) void loadFamily(next);
        else setFamily(null);
      },
    });
    keeper.current = current;
    current.restore().finally(() => {
      setVerdict(null);
      setRestoring(false);
    });
    return () => {
      current.close();
      keeper.current = null;
    };
  }, [exchange, loadFamily]);

  // Shortly before the token expires, without a click; after a failed try,
  // again with a growing pause.
  useEffect(() => {
    const delay = retry?.inMs ?? keeper.current?.dueInMs() ?? null;
    if (!token || delay === null) return;
    const timer = setTimeout(() => void refresh(true), delay);
    return () => clearTimeout(timer);
  }, [token, retry, refresh]);

  async function signIn(email: string, password: string): Promise<string | null> {
    const result = await traced<TokenPair & Refused>("none", "/api/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password, client_id: "browser" }),
    });
    if (!result.response.ok || !result.body) return result.body?.error_description ?? `HTTP ${result.response.status}`;
    keeper.current?.adopt(result.body.access_token);
    setVerdict(null);
    return null;
  }

  async function callMe(access: string) {
    const result = await traced<TokenHolder & Refused>("jwt", "/api/me", {
      headers: bearer(access),
      credentialBytes: bearerBytes(access),
    });
    setVerdict(
      result.response.ok && result.body
        ? { ok: true, text: `GET /api/me: 200 — signature verified with key ${result.body.token.kid}.` }
        : {
            ok: false,
            text: `GET /api/me: ${result.response.status} — ${result.body?.error_description ?? "refused"}`,
          },
    );
  }

  async function revoke(access: string) {
    await traced("jwt", "/api/auth/revoke", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: access }),
    });
    await loadFamily(access);
    setVerdict({
      ok: true,
      text: "Revoked: the family is ended and the jti recorded. Call /api/me to see whether the token still works.",
    });
  }

  async function toggleDenylist(access: string) {
    const result = await traced<{ enabled: boolean } & Refused>("jwt", "/api/auth/denylist", {
      method: "PUT",
      headers: { ...bearer(access), "content-type": "application/json" },
      body: JSON.stringify({ enabled: !denylist }),
      credentialBytes: bearerBytes(access),
    });
    if (result.response.ok && result.body) setDenylist(result.body.enabled);
    else
      setVerdict({
        ok: false,
        text: `Denylist switch refused: ${result.body?.error_description ?? result.response.status}`,
      });
    await loadFamily(access);
  }

  function forget() {
    keeper.current?.drop();
    setFamilyError(null);
    setVerdict(null);
  }

  return {
    token,
    family,
    familyError,
    denylist,
    verdict,
    restoring,
    busy,
    signIn,
    forget,
    callMe: (access: string) => busyWhile(() => callMe(access)),
    refresh: () => busyWhile(() => refresh()),
    revoke: (access: string) => busyWhile(() => revoke(access)),
    toggleDenylist: (access: string) => busyWhile(() => toggleDenylist(access)),
  };
}
