"use client";
// The token workbench: what jwt.io does, against a real server. Paste or
// take a token, read it (and see that anyone can), check its signature, edit
// and re-encode it, or forge it the ways RFC 8725 warns about; every token
// goes to this app's /api/me and to the other service, and the answers are
// theirs, word for word.
import { useEffect, useRef, useState } from "react";
import type { JSONWebKeySet } from "jose";
import { Card } from "@/components/Card";
import { Action } from "../ui";
import { decodeJwt, encodePart } from "../jwt-decode";
import type { Traced } from "../requests";
import { useBusy } from "../useBusy";
import { ATTACKS, buildAttack, createAttackerKey, type Attack, type AttackerKey, type FlawedTokens } from "./attacks";
import { shareFragment, tokenFromFragment } from "./share";
import { verifySignature, type SignatureCheck } from "./verify";

type Answer = { target: string; status: number | null; said: string };
type Sent = { id: number; what: string; token: string; answers: Answer[] };
type Body = { error_description?: string; sub?: string; email?: string } | null;

const FIELD =
  "block w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 font-mono text-xs break-all dark:border-zinc-700 dark:bg-zinc-950";

function said(status: number, body: Body): string {
  if (status === 200) return `Accepted: signed in as ${body?.email ?? body?.sub ?? "someone"}`;
  return body?.error_description ?? "No reason given.";
}

function pretty(json: unknown): string {
  return JSON.stringify(json, null, 2);
}

let nextSent = 1;

export function TokenWorkbench({
  token: current,
  traced,
  resourceUrl,
}: {
  token: string | null;
  traced: Traced;
  resourceUrl: string | null;
}) {
  const [text, setText] = useState("");
  const [header, setHeader] = useState("");
  const [payload, setPayload] = useState("");
  const [editError, setEditError] = useState<string | null>(null);
  const [shared, setShared] = useState(false);
  const [keyText, setKeyText] = useState("");
  const [check, setCheck] = useState<{ against: string; result: SignatureCheck } | null>(null);
  const [sent, setSent] = useState<Sent[]>([]);
  const [attackError, setAttackError] = useState<string | null>(null);
  const attackerKey = useRef<Promise<AttackerKey> | null>(null);
  const flawed = useRef<{ token: string; tokens: Promise<FlawedTokens | null> } | null>(null);
  const { busy, busyWhile } = useBusy();
  const decoded = text ? decodeJwt(text.trim()) : null;

  function load(token: string) {
    setText(token);
    setCheck(null);
    const parts = decodeJwt(token);
    setHeader(parts ? pretty(parts.header) : "");
    setPayload(parts ? pretty(parts.payload) : "");
    setEditError(null);
  }

  // A link's view: header and payload, no signature.
  useEffect(() => {
    const token = tokenFromFragment(window.location.hash);
    if (!token) return;
    // Reading the URL happens once, after the first render (no hydration mismatch).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setShared(true);
    load(token);
    document.getElementById("workbench")?.scrollIntoView();
  }, []);

  async function send(what: string, token: string) {
    const bearer = { authorization: `Bearer ${token}` };
    const answers: Answer[] = [];
    const me = await traced<Body>("jwt", "/api/me", { headers: bearer });
    answers.push({
      target: "this app, GET /api/me",
      status: me.response.status,
      said: said(me.response.status, me.body),
    });
    if (resourceUrl) {
      try {
        const other = await traced<Body>("jwt", `${resourceUrl}/whoami`, { headers: bearer });
        answers.push({
          target: "other service, GET /whoami",
          status: other.response.status,
          said: said(other.response.status, other.body),
        });
      } catch {
        answers.push({ target: "other service, GET /whoami", status: null, said: "Not reachable." });
      }
    }
    setSent((list) => [{ id: nextSent++, what, token, answers }, ...list].slice(0, 12));
  }

  // The three issuer-signed flaws, asked for once per token.
  function flawedFor(token: string): Promise<FlawedTokens | null> {
    if (flawed.current?.token !== token) {
      const tokens = traced<FlawedTokens>("jwt", "/api/scenarios/flawed-tokens", {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      }).then(({ response, body }) => (response.ok ? body : null));
      flawed.current = { token, tokens };
    }
    return flawed.current.tokens;
  }

  async function serverKeySet(): Promise<JSONWebKeySet> {
    const { body } = await traced<JSONWebKeySet>("none", "/.well-known/jwks.json");
    return body ?? { keys: [] };
  }

  const attackWith = (chosen: Attack) =>
    busyWhile(async () => {
      if (!current) return;
      setAttackError(null);
      try {
        attackerKey.current ??= createAttackerKey();
        const kid = decodeJwt(current)?.header.kid;
        const [keySet, flawedTokens, key] = await Promise.all([
          chosen.id === "hs256-public-key" ? serverKeySet() : null,
          chosen.signedBy === "issuer" ? flawedFor(current) : null,
          attackerKey.current,
        ]);
        const forged = await buildAttack(chosen.id, {
          token: current,
          attackerKey: key,
          serverKey: keySet?.keys.find((k) => k.kid === kid) ?? null,
          flawed: flawedTokens,
        });
        setShared(false);
        load(forged);
        await send(chosen.title, forged);
      } catch (error) {
        setAttackError((error as Error).message);
      }
    });

  function reencode() {
    if (!decoded) return;
    try {
      const token = `${encodePart(JSON.parse(header))}.${encodePart(JSON.parse(payload))}.${decoded.parts[2]}`;
      setText(token);
      setEditError(null);
    } catch {
      setEditError("The header and the payload must each be JSON.");
    }
  }

  const verify = (against: "jwks" | "key") =>
    busyWhile(async () => {
      const result = await verifySignature(text.trim(), against === "jwks" ? await serverKeySet() : { text: keyText });
      setCheck({ against: against === "jwks" ? "this server's JWKS" : "the pasted key", result });
    });

  const fragment = decoded ? shareFragment(text.trim()) : null;
  const email = decoded && typeof decoded.payload.email === "string" ? decoded.payload.email : null;

  return (
    <div id="workbench" className="scroll-mt-4">
      <Card variant="section" title="Token workbench" testId="workbench">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Paste any JWT, or take this page&apos;s. Read it, check its signature, edit it, or forge it the ways RFC 8725
          warns about. Every token is sent to this app&apos;s <code>/api/me</code>
          {resourceUrl ? " and to the other service" : ""}, and what they answer is shown as they said it.
        </p>
        <div className="space-y-2">
          <label htmlFor="workbench-input" className="block text-sm font-medium">
            Token
          </label>
          <textarea
            id="workbench-input"
            data-testid="workbench-input"
            rows={4}
            spellCheck={false}
            value={text}
            onChange={(event) => {
              setShared(false);
              load(event.target.value);
            }}
            placeholder="eyJhbGciOi…"
            className={FIELD}
          />
          <div className="flex flex-wrap gap-2">
            <Action
              disabled={!current}
              data-testid="workbench-use-current"
              onClick={() => {
                setShared(false);
                if (current) load(current);
              }}
            >
              Use this page&apos;s token
            </Action>
            <Action
              pending={busy}
              disabled={!decoded}
              data-testid="workbench-send"
              onClick={() => busyWhile(() => send("As written", text.trim()))}
            >
              Send it
            </Action>
            {fragment ? (
              <a
                href={fragment}
                data-testid="workbench-share"
                className="self-center text-sm text-sky-700 underline underline-offset-4 dark:text-sky-400"
              >
                Link to this view (no signature)
              </a>
            ) : null}
          </div>
          {shared ? (
            <p data-testid="workbench-shared" className="text-xs text-zinc-600 dark:text-zinc-400">
              Opened from a link: a header and a payload, with no signature. A link never carries a working token.
            </p>
          ) : null}
          {text && !decoded ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              Not a JWT: three base64url parts separated by dots, the first two JSON.
            </p>
          ) : null}
        </div>

        {decoded ? (
          <>
            <p
              data-testid="workbench-warning"
              className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/40 dark:text-amber-100"
            >
              <strong>Encoded, not encrypted.</strong> The header and payload are base64url-encoded JSON: anyone who
              holds this token, or sees it in a log, can read every claim{email ? `, including the email ${email}` : ""}
              . The signature only stops them from changing it.
            </p>
            <div className="grid gap-3 md:grid-cols-2">
              {(
                [
                  ["Header", header, setHeader],
                  ["Payload", payload, setPayload],
                ] as const
              ).map(([name, value, set]) => (
                <div key={name} className="space-y-1">
                  <label htmlFor={`workbench-${name.toLowerCase()}`} className="block text-sm font-medium">
                    {name}
                  </label>
                  <textarea
                    id={`workbench-${name.toLowerCase()}`}
                    data-testid={`workbench-${name.toLowerCase()}`}
                    rows={name === "Header" ? 10 : 12}
                    spellCheck={false}
                    value={value}
                    onChange={(event) => set(event.target.value)}
                    className={FIELD}
                  />
                </div>
              ))}
            </div>
            <div className="flex flex-wrap items-center gap-2">
              <Action data-testid="workbench-reencode" onClick={reencode}>
                Re-encode, keeping the signature
              </Action>
              <span className="text-xs text-zinc-600 dark:text-zinc-400">
                Signature: <code className="break-all">{decoded.parts[2] || "(none)"}</code>
              </span>
            </div>
            {editError ? (
              <p role="alert" className="text-sm text-red-700 dark:text-red-300">
                {editError}
              </p>
            ) : null}

            <section aria-labelledby="workbench-verify-title" className="space-y-2">
              <h3 id="workbench-verify-title" className="text-sm font-semibold">
                Check the signature
              </h3>
              <div className="flex flex-wrap gap-2">
                <Action pending={busy} data-testid="workbench-verify-jwks" onClick={() => verify("jwks")}>
                  With this server&apos;s JWKS
                </Action>
              </div>
              <label htmlFor="workbench-key" className="block text-sm">
                Or with a public key (PEM, a JWK or a JWKS)
              </label>
              <textarea
                id="workbench-key"
                data-testid="workbench-key"
                rows={3}
                spellCheck={false}
                value={keyText}
                onChange={(event) => setKeyText(event.target.value)}
                placeholder="-----BEGIN PUBLIC KEY-----"
                className={FIELD}
              />
              <Action
                pending={busy}
                disabled={!keyText.trim()}
                data-testid="workbench-verify-key"
                onClick={() => verify("key")}
              >
                With this key
              </Action>
              {check ? (
                <p
                  role="status"
                  data-testid="workbench-signature"
                  data-valid={check.result.ok}
                  className={`text-sm ${check.result.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`}
                >
                  {check.result.ok
                    ? `The signature verifies with ${check.against} (${check.result.alg}${check.result.kid ? `, kid ${check.result.kid}` : ""}).`
                    : `The signature does not verify with ${check.against}: ${check.result.code}, ${check.result.reason}`}
                </p>
              ) : null}
            </section>
          </>
        ) : null}

        <section aria-labelledby="workbench-attacks-title" className="space-y-2">
          <h3 id="workbench-attacks-title" className="text-sm font-semibold">
            Forge it
          </h3>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            {current
              ? "Each is built from this page's token and sent at once."
              : "Sign in with a token (the JWT column) to forge from it."}
          </p>
          <ul className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
            {ATTACKS.map((attack) => (
              <li key={attack.id} className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
                <Action
                  pending={busy}
                  disabled={!current}
                  aria-label={`Try: ${attack.title}`}
                  data-testid={`workbench-attack-${attack.id}`}
                  onClick={() => attackWith(attack)}
                >
                  {attack.title}
                </Action>
                <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{attack.how}</p>
              </li>
            ))}
          </ul>
          {attackError ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {attackError}
            </p>
          ) : null}
        </section>

        {sent.length > 0 ? (
          <section aria-labelledby="workbench-answers-title" className="space-y-2">
            <h3 id="workbench-answers-title" className="text-sm font-semibold">
              What the servers answered
            </h3>
            <ol className="space-y-2" data-testid="workbench-answers">
              {sent.map((entry) => (
                <li
                  key={entry.id}
                  data-testid="workbench-sent"
                  data-what={entry.what}
                  className="rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-800"
                >
                  <p className="font-medium">{entry.what}</p>
                  <ul className="mt-1 space-y-1">
                    {entry.answers.map((answer) => (
                      <li
                        key={answer.target}
                        data-testid="workbench-answer"
                        data-target={answer.target.startsWith("this app") ? "app" : "other-service"}
                        data-status={answer.status ?? "unreachable"}
                        className="grid grid-cols-[1fr_auto] gap-x-3 sm:grid-cols-[14rem_3rem_1fr]"
                      >
                        <span className="text-zinc-600 dark:text-zinc-400">{answer.target}</span>
                        <span
                          className={`font-mono ${answer.status === 200 ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`}
                        >
                          {answer.status ?? "—"}
                        </span>
                        <span className="col-span-2 sm:col-span-1">{answer.said}</span>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          </section>
        ) : null}
      </Card>
    </div>
  );
}
