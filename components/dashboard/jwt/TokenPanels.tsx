"use client";
// What the JWT column shows of a token: the token as it travels, its header
// and claims decoded, and the refresh family the server keeps for it.
import { Card } from "@/components/Card";
import { Facts } from "@/components/Facts";
import { CLAIM_NOTES, HEADER_NOTES, type DecodedJwt } from "../jwt-decode";
import { Clock } from "@/components/Time";
import { Countdown } from "../time";

import { bearerBytes, type Family } from "./useTokenClient";

const TIME_CLAIMS = new Set(["iat", "exp", "nbf"]);

export function TokenPanel({ token, decoded, now }: { token: string; decoded: DecodedJwt; now: number }) {
  const expiresAt = Number(decoded.payload.exp) * 1000;
  return (
    <Card variant="panel" title="The access token, as it travels" testId="jwt-token">
      <p className="break-all font-mono text-xs leading-relaxed" data-testid="jwt-encoded">
        <span className="text-rose-600 dark:text-rose-400">{decoded.parts[0]}</span>.
        <span className="text-jwt-600 dark:text-jwt-300">{decoded.parts[1]}</span>.
        <span className="text-sky-700 dark:text-sky-400">{decoded.parts[2]}</span>
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
              <Clock value={expiresAt} /> (<Countdown until={expiresAt} now={now} testId="jwt-exp-countdown" />)
            </span>,
          ],
        ]}
      />
    </Card>
  );
}

export function ClaimsPanel({ decoded }: { decoded: DecodedJwt }) {
  const entries = [
    ...Object.entries(decoded.header).map(([key, value]) => ["header", key, value] as const),
    ...Object.entries(decoded.payload).map(([key, value]) => ["claim", key, value] as const),
  ];
  return (
    <Card variant="panel" title="Header and claims, decoded" testId="jwt-claims">
      <dl className="space-y-1.5 text-sm">
        {entries.map(([kind, key, value]) => (
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
                <span className="text-zinc-500 dark:text-zinc-400">
                  {" "}
                  = <Clock value={value * 1000} />
                </span>
              ) : null}
              <p className="text-xs text-zinc-500 dark:text-zinc-400">
                {(kind === "header" ? HEADER_NOTES : CLAIM_NOTES)[key] ?? ""}
              </p>
            </dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

export function FamilyPanel({
  family,
  familyError,
  denylist,
  now,
}: {
  family: Family | null;
  familyError: string | null;
  denylist: boolean | null;
  now: number;
}) {
  const stored = family?.family;
  return (
    <Card variant="panel" title="Refresh family (server side)" testId="jwt-family">
      {stored ? (
        <Facts
          rows={[
            ["Family", <code key="f">{stored.id.slice(0, 8)}…</code>],
            [
              "Generation",
              <span key="g" data-testid="jwt-generation">
                {stored.generation}
              </span>,
            ],
            ["Refresh expiry", stored.expiresAt ? <Countdown key="x" until={stored.expiresAt} now={now} /> : "—"],
            [
              "Status",
              <span key="st" data-testid="jwt-family-status">
                {stored.revokedAt ? `revoked (${stored.revokedReason})` : "active"}
              </span>,
            ],
            [
              "Rows stored",
              <span key="r">
                {stored.tokenRows} refresh-token hashes; {family.revokedAccessTokens} denylisted jti
              </span>,
            ],
          ]}
        />
      ) : (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">{familyError ?? "Reading the family…"}</p>
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
    </Card>
  );
}
