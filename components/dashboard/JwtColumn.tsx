"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import type { TokenHolder } from "@/lib/auth/jwt";
import type { TokenPair } from "@/lib/auth/token-endpoint";
import type { Json } from "@/lib/json";
import type { TokenFamilyInspection } from "@/lib/showcase/token-family-inspector";
import type { Traced } from "./requests";
import { SignInForm } from "./SignInForm";
import { ActionButton, Outcome, Panel } from "./ui";
import { Facts } from "@/components/Facts";
import { Clock, Countdown, useNow } from "./time";
import { CLAIM_NOTES, decodeJwt, HEADER_NOTES, tamperClaim } from "./jwt-decode";

type Pair = TokenPair;
type Family = Json<TokenFamilyInspection>;
type Me = TokenHolder;
type Verdict = { ok: boolean; text: string };

type Props = {
  traced: Traced;
  demo: { email: string; password: string } | null;
  demoControls: boolean;
  onChange: (state: { token: string | null; rows: number | null; denylist: boolean | null }) => void;
};

const TIME_CLAIMS = new Set(["iat", "exp", "nbf"]);
const bearer = (value: string) => ({ authorization: `Bearer ${value}` });
const bearerBytes = (value: string) => new TextEncoder().encode(`Authorization: Bearer ${value}`).length;

export function JwtColumn({ traced, demo, demoControls, onChange }: Props) {
  const now = useNow();
  // The access token lives here, in page memory only: a reload loses it.
  const [token, setToken] = useState<string | null>(null);
  const [family, setFamily] = useState<Family | null>(null);
  const [familyError, setFamilyError] = useState<string | null>(null);
  const [denylist, setDenylist] = useState<boolean | null>(null);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [restoring, setRestoring] = useState(true);
  const [busy, setBusy] = useState(false);
  const [tamperTarget, setTamperTarget] = useState("sub");
  const [tamperValue, setTamperValue] = useState("someone-else");
  const refreshing = useRef<Promise<string | null> | null>(null);

  const loadFamily = useCallback(
    async (access: string) => {
      const result = await traced<Family & { error_description?: string }>("jwt", "/api/auth/family", {
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

  // One refresh at a time per page: two at once would spend the same token.
  const refresh = useCallback(async (): Promise<string | null> => {
    refreshing.current ??= (async () => {
      const result = await traced<Pair & { error_description?: string }>("jwt", "/api/auth/refresh", {
        method: "POST",
      });
      const next = result.response.ok && result.body ? result.body.access_token : null;
      setToken(next);
      if (next) await loadFamily(next);
      else setFamily(null);
      setVerdict(
        result.response.ok
          ? { ok: true, text: "Refreshed: new access token, and the refresh cookie rotated." }
          : { ok: false, text: result.body?.error_description ?? "Refresh refused." },
      );
      return next;
    })().finally(() => {
      refreshing.current = null;
    });
    return refreshing.current;
  }, [traced, loadFamily]);

  useEffect(() => {
    // After a reload the token is gone; the HttpOnly refresh cookie can bring
    // a new one (the page never sees the refresh token itself).
    refresh().finally(() => {
      setVerdict(null);
      setRestoring(false);
    });
  }, [refresh]);

  useEffect(
    () => onChange({ token, rows: family?.family?.tokenRows ?? null, denylist }),
    [token, family, denylist, onChange],
  );

  async function signIn(email: string, password: string): Promise<string | null> {
    const result = await traced<Pair & { error_description?: string }>("none", "/api/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password, client_id: "browser" }),
    });
    if (!result.response.ok || !result.body) return result.body?.error_description ?? `HTTP ${result.response.status}`;
    setToken(result.body.access_token);
    setVerdict(null);
    await loadFamily(result.body.access_token);
    return null;
  }

  async function act(run: () => Promise<void>) {
    setBusy(true);
    await run();
    setBusy(false);
  }

  async function callMe(access: string, label: string) {
    const result = await traced<Me & { error_description?: string }>("jwt", "/api/me", {
      headers: bearer(access),
      credentialBytes: bearerBytes(access),
    });
    setVerdict(
      result.response.ok && result.body
        ? { ok: true, text: `${label}: 200 — signature verified with key ${result.body.token.kid}.` }
        : { ok: false, text: `${label}: ${result.response.status} — ${result.body?.error_description ?? "refused"}` },
    );
  }

  const decoded = token ? decodeJwt(token) : null;

  return (
    <div data-testid="jwt-column" className="space-y-4">
      <header className="space-y-1">
        <h2 className="text-xl font-semibold text-jwt-700 dark:text-jwt-300">JWT</h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A signed token held in page memory; the server keeps only keys and refresh families.
        </p>
      </header>

      {restoring ? (
        <p className="text-sm text-zinc-500">Asking for a token with the refresh cookie…</p>
      ) : !token || !decoded ? (
        <Panel title="Sign in with a JWT">
          <SignInForm label="Sign in with a JWT" testId="jwt-signin" demo={demo} onSubmit={signIn} />
          <p className="text-sm text-zinc-500">
            No access token in this page&apos;s memory. The refresh token, if any, is in an HttpOnly cookie only
            /api/auth/refresh receives.
          </p>
        </Panel>
      ) : (
        <>
          <Panel title="The access token, as it travels" testId="jwt-token">
            <p className="break-all font-mono text-xs leading-relaxed" data-testid="jwt-encoded">
              <span className="text-rose-600 dark:text-rose-400">{decoded.parts[0]}</span>.
              <span className="text-jwt-600 dark:text-jwt-300">{decoded.parts[1]}</span>.
              <span className="text-sky-600 dark:text-sky-400">{decoded.parts[2]}</span>
            </p>
            <Facts
              rows={[
                [
                  "Size",
                  <span key="s" data-testid="jwt-bytes">
                    {bearerBytes(token)} bytes on every request (Authorization header)
                  </span>,
                ],
                ["Lives in", "this page's memory (a React state): gone on reload, restored through the refresh cookie"],
                [
                  "Expires",
                  <span key="e">
                    <Clock value={Number(decoded.payload.exp) * 1000} /> (
                    <Countdown until={Number(decoded.payload.exp) * 1000} now={now} testId="jwt-exp-countdown" />)
                  </span>,
                ],
              ]}
            />
          </Panel>

          <Panel title="Header and claims, decoded" testId="jwt-claims">
            <dl className="space-y-1.5 text-sm">
              {[
                ...Object.entries(decoded.header).map(([k, v]) => ["header", k, v] as const),
                ...Object.entries(decoded.payload).map(([k, v]) => ["claim", k, v] as const),
              ].map(([kind, key, value]) => (
                <div key={`${kind}-${key}`} className="grid grid-cols-[5.5rem_1fr] gap-x-3">
                  <dt
                    className={`font-mono ${kind === "header" ? "text-rose-600 dark:text-rose-400" : "text-jwt-600 dark:text-jwt-300"}`}
                  >
                    {key}
                  </dt>
                  <dd className="min-w-0">
                    <code className="break-all" data-testid={`claim-${key}`}>
                      {typeof value === "string" ? value : JSON.stringify(value)}
                    </code>
                    {TIME_CLAIMS.has(key) && typeof value === "number" ? (
                      <span className="text-zinc-500">
                        {" "}
                        = <Clock value={value * 1000} />
                      </span>
                    ) : null}
                    <p className="text-xs text-zinc-500">
                      {(kind === "header" ? HEADER_NOTES : CLAIM_NOTES)[key] ?? ""}
                    </p>
                  </dd>
                </div>
              ))}
            </dl>
          </Panel>

          <Panel title="Refresh family (server side)" testId="jwt-family">
            {family?.family ? (
              <Facts
                rows={[
                  ["Family", <code key="f">{family.family.id.slice(0, 8)}…</code>],
                  [
                    "Generation",
                    <span key="g" data-testid="jwt-generation">
                      {family.family.generation}
                    </span>,
                  ],
                  [
                    "Refresh expiry",
                    family.family.expiresAt ? <Countdown key="x" until={family.family.expiresAt} now={now} /> : "—",
                  ],
                  [
                    "Status",
                    <span key="st" data-testid="jwt-family-status">
                      {family.family.revokedAt ? `revoked (${family.family.revokedReason})` : "active"}
                    </span>,
                  ],
                  [
                    "Rows stored",
                    <span key="r">
                      {family.family.tokenRows} refresh-token hashes; {family.revokedAccessTokens} denylisted jti
                    </span>,
                  ],
                ]}
              />
            ) : (
              <p className="text-sm text-zinc-500">{familyError ?? "Reading the family…"}</p>
            )}
            <Facts
              rows={[
                [
                  "Denylist mode",
                  <span key="d" data-testid="jwt-denylist">
                    {denylist === null
                      ? "unknown"
                      : denylist
                        ? "on: every check also looks up the jti"
                        : "off: checks are signature-only"}
                  </span>,
                ],
              ]}
            />
          </Panel>

          {verdict ? (
            <Outcome ok={verdict.ok} testId="jwt-verdict">
              {verdict.text}
            </Outcome>
          ) : null}

          <div className="flex flex-wrap gap-2">
            <ActionButton busy={busy} testId="jwt-call-me" onClick={() => act(() => callMe(token, "GET /api/me"))}>
              Call /api/me
            </ActionButton>
            <ActionButton busy={busy} testId="jwt-refresh" onClick={() => act(async () => void (await refresh()))}>
              Refresh
            </ActionButton>
            <ActionButton
              busy={busy}
              tone="danger"
              testId="jwt-revoke"
              onClick={() =>
                act(async () => {
                  await traced("jwt", "/api/auth/revoke", {
                    method: "POST",
                    headers: { "content-type": "application/json" },
                    body: JSON.stringify({ token }),
                  });
                  await loadFamily(token);
                  setVerdict({
                    ok: true,
                    text: "Revoked: the family is ended and the jti recorded. Call /api/me to see whether the token still works.",
                  });
                })
              }
            >
              Revoke
            </ActionButton>
            <ActionButton
              busy={busy}
              disabled={!demoControls}
              describedBy={demoControls ? undefined : "demo-controls-off"}
              testId="jwt-denylist-toggle"
              onClick={() =>
                act(async () => {
                  const result = await traced<{ enabled: boolean; error_description?: string }>(
                    "jwt",
                    "/api/auth/denylist",
                    {
                      method: "PUT",
                      headers: { ...bearer(token), "content-type": "application/json" },
                      body: JSON.stringify({ enabled: !denylist }),
                      credentialBytes: bearerBytes(token),
                    },
                  );
                  if (result.response.ok && result.body) setDenylist(result.body.enabled);
                  else
                    setVerdict({
                      ok: false,
                      text: `Denylist switch refused: ${result.body?.error_description ?? result.response.status}`,
                    });
                  await loadFamily(token);
                })
              }
            >
              Denylist {denylist ? "off" : "on"}
            </ActionButton>
            <ActionButton
              busy={busy}
              testId="jwt-forget"
              onClick={() => {
                setToken(null);
                setFamily(null);
                setFamilyError(null);
                setVerdict(null);
              }}
            >
              Forget token
            </ActionButton>
          </div>
          {demoControls ? null : (
            <p
              id="demo-controls-off"
              data-testid="demo-controls-off"
              className="text-xs text-zinc-600 dark:text-zinc-400"
            >
              The denylist switch is off on this server (DEMO_CONTROLS=off): it would change revocation for every
              visitor. Locally, <code>npm run demo</code> turns it on.
            </p>
          )}

          <Panel title="Tamper with a claim" testId="jwt-tamper">
            <div className="flex flex-wrap items-end gap-2 text-sm">
              <label className="space-y-1">
                <span className="block font-medium">Claim</span>
                <select
                  value={tamperTarget}
                  onChange={(e) => setTamperTarget(e.target.value)}
                  className="rounded-md border border-zinc-300 bg-white px-2 py-1.5 dark:border-zinc-700 dark:bg-zinc-950"
                >
                  {["sub", "email", "exp", "aud"].map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              </label>
              <label className="min-w-40 flex-1 space-y-1">
                <span className="block font-medium">New value</span>
                <input
                  value={tamperValue}
                  onChange={(e) => setTamperValue(e.target.value)}
                  className="block w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 dark:border-zinc-700 dark:bg-zinc-950"
                />
              </label>
              <ActionButton
                busy={busy}
                testId="jwt-tamper-send"
                onClick={() =>
                  act(async () => {
                    const value =
                      tamperTarget === "exp"
                        ? Number(tamperValue) || Math.floor(Date.now() / 1000) + 86400
                        : tamperValue;
                    const forged = tamperClaim(token, tamperTarget, value);
                    if (forged) await callMe(forged, `Tampered ${tamperTarget}`);
                  })
                }
              >
                Send tampered token
              </ActionButton>
            </div>
            <p className="text-xs text-zinc-500">
              The page re-encodes the payload and keeps the old signature, which no longer matches.
            </p>
          </Panel>
        </>
      )}
    </div>
  );
}
