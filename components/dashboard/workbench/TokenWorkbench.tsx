"use client";
// The token workbench: what jwt.io does, against a real server. Paste or
// take a token, read it (and see that anyone can), check its signature, edit
// and re-encode it, or forge it the ways RFC 8725 warns about; every token
// goes to this app's /api/me and to the other service, and the answers are
// theirs, word for word.
import { useCallback, useEffect, useRef, useState } from "react";
import type { JSONWebKeySet } from "jose";
import type { TokenHolder } from "@/lib/auth/jwt";
import type { Json } from "@/lib/json";
import { Card } from "@/components/Card";
import { Action } from "../ui";
import { decodeJwt, encodePart } from "../jwt-decode";
import type { Traced } from "../requests";
import { useBusy } from "../useBusy";
import { ATTACKS, buildAttack, createAttackerKey, type Attack, type AttackerKey, type FlawedTokens } from "./attacks";
import { shareFragment, tokenFromFragment } from "./share";
import { verifySignature, type SignatureCheck } from "./verify";

type Answer = { kind: "app" | "other-service"; target: string; status: number | null; said: string };
type Sent = { id: number; what: string; answers: Answer[] };
// /api/me's answer or the other service's (which names the holder `sub`), or an error.
type Body = (Partial<Json<TokenHolder>> & { sub?: string; error_description?: string }) | null;

const FIELD =
  "block w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 font-mono text-xs break-all disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-950";
const LINK = "text-sky-700 underline underline-offset-4 dark:text-sky-400";
// Attacks signed with a key the page makes.
const NEEDS_ATTACKER_KEY = new Set<Attack["id"]>(["foreign-kid", "jku", "jwk"]);

// A labelled monospace text area: the token, its header and payload, a key.
function CodeArea({
  name,
  label,
  onText,
  ...area
}: { name: string; label: string; onText: (text: string) => void } & Omit<
  React.ComponentProps<"textarea">,
  "id" | "onChange" | "className"
>) {
  const id = `workbench-${name}`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <textarea
        id={id}
        data-testid={id}
        spellCheck={false}
        onChange={(event) => onText(event.target.value)}
        className={FIELD}
        {...area}
      />
    </div>
  );
}

function said(status: number, body: Body): string {
  if (status === 200) return `Accepted: signed in as ${body?.email ?? body?.sub ?? body?.id ?? "someone"}`;
  return body?.error_description ?? "No reason given.";
}

const pretty = (json: unknown) => JSON.stringify(json, null, 2);

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
  const flawed = useRef<{ token: string; tokens: Promise<FlawedTokens> } | null>(null);
  const newest = useRef<HTMLLIElement>(null);
  const { busy, busyWhile } = useBusy();
  const trimmed = text.trim();
  const decoded = trimmed ? decodeJwt(trimmed) : null;

  // A new token in the editor: its parts to edit, and no verdict on it yet.
  const load = useCallback((token: string, fromLink = false) => {
    const parts = decodeJwt(token.trim());
    setText(token);
    setHeader(parts ? pretty(parts.header) : "");
    setPayload(parts ? pretty(parts.payload) : "");
    setCheck(null);
    setEditError(null);
    setShared(fromLink);
  }, []);

  // A link's view (header and payload, no signature): on arrival, and when
  // a link is followed within the page.
  useEffect(() => {
    function fromFragment() {
      const token = tokenFromFragment(window.location.hash);
      if (!token) return;
      load(token, true);
      document.getElementById("workbench")?.scrollIntoView();
    }
    fromFragment();
    window.addEventListener("hashchange", fromFragment);
    return () => window.removeEventListener("hashchange", fromFragment);
  }, [load]);

  // After each send, focus goes to what the servers answered.
  useEffect(() => newest.current?.focus(), [sent]);

  async function ask(kind: Answer["kind"], target: string, url: string, token: string): Promise<Answer> {
    try {
      const { response, body } = await traced<Body>("jwt", url, { headers: { authorization: `Bearer ${token}` } });
      return { kind, target, status: response.status, said: said(response.status, body) };
    } catch {
      return { kind, target, status: null, said: "Not reachable." };
    }
  }

  async function send(what: string, token: string) {
    const answers = [await ask("app", "this app, GET /api/me", "/api/me", token)];
    if (resourceUrl)
      answers.push(await ask("other-service", "other service, GET /whoami", `${resourceUrl}/whoami`, token));
    setSent((list) => [{ id: nextSent++, what, answers }, ...list].slice(0, 12));
  }

  // The three issuer-signed flaws, asked for once per token; a refusal is
  // not remembered, so the next try asks again.
  function flawedFor(token: string): Promise<FlawedTokens> {
    if (flawed.current?.token !== token) {
      const tokens = traced<FlawedTokens & { error_description?: string }>("jwt", "/api/scenarios/flawed-tokens", {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      }).then(({ response, body }) => {
        if (response.ok && body) return body;
        throw new Error(body?.error_description ?? `The issuer answered ${response.status}.`);
      });
      tokens.catch(() => {
        if (flawed.current?.tokens === tokens) flawed.current = null;
      });
      flawed.current = { token, tokens };
    }
    return flawed.current.tokens;
  }

  function attackerKeyOnce(): Promise<AttackerKey> {
    const key = (attackerKey.current ??= createAttackerKey());
    key.catch(() => {
      if (attackerKey.current === key) attackerKey.current = null;
    });
    return key;
  }

  async function serverKeySet(): Promise<JSONWebKeySet> {
    const { response, body } = await traced<JSONWebKeySet>("none", "/.well-known/jwks.json");
    if (!response.ok || !body) throw new Error(`This server's JWKS could not be fetched (${response.status}).`);
    return body;
  }

  const attackWith = (chosen: Attack) =>
    busyWhile(async () => {
      if (!current) return;
      setAttackError(null);
      try {
        const kid = decodeJwt(current)?.header.kid;
        const [keySet, flawedTokens, key] = await Promise.all([
          chosen.id === "hs256-public-key" ? serverKeySet() : null,
          chosen.signedBy === "issuer" ? flawedFor(current) : null,
          NEEDS_ATTACKER_KEY.has(chosen.id) ? attackerKeyOnce() : null,
        ]);
        const forged = await buildAttack(chosen.id, {
          token: current,
          attackerKey: key,
          serverKey: keySet?.keys.find((k) => k.kid === kid) ?? null,
          flawed: flawedTokens,
        });
        load(forged);
        await send(chosen.title, forged);
      } catch (error) {
        setAttackError((error as Error).message);
      }
    });

  function reencode() {
    if (!decoded) return;
    try {
      load(`${encodePart(JSON.parse(header))}.${encodePart(JSON.parse(payload))}.${decoded.parts[2]}`);
    } catch {
      setEditError("The header and the payload must each be JSON.");
    }
  }

  const verify = (against: "jwks" | "key") =>
    busyWhile(async () => {
      let result: SignatureCheck;
      try {
        result = await verifySignature(trimmed, against === "jwks" ? await serverKeySet() : { text: keyText });
      } catch (error) {
        result = { ok: false, code: "ERR_FETCH", reason: (error as Error).message };
      }
      setCheck({ against: against === "jwks" ? "this server's JWKS" : "the pasted key", result });
    });

  const fragment = decoded ? shareFragment(trimmed) : null;
  const email = decoded && typeof decoded.payload.email === "string" ? decoded.payload.email : null;
  const invalid = trimmed !== "" && !decoded;

  return (
    <div id="workbench" className="scroll-mt-4">
      <Card variant="section" title="Token workbench" testId="workbench">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Paste any JWT, or take this page&apos;s. Read it, check its signature, edit it, or forge it the ways RFC 8725
          warns about. Every token is sent to this app&apos;s <code>/api/me</code>
          {resourceUrl ? " and to the other service" : ""}, and what they answer is shown as they said it.
        </p>
        <div className="space-y-2">
          <CodeArea
            name="input"
            label="Token"
            rows={4}
            value={text}
            disabled={busy}
            aria-invalid={invalid}
            aria-describedby={invalid ? "workbench-input-error" : undefined}
            onText={load}
            placeholder="eyJhbGciOi…"
          />
          {invalid ? (
            <p id="workbench-input-error" className="text-sm text-red-700 dark:text-red-300">
              Not a JWT: three base64url parts separated by dots, the first two JSON objects.
            </p>
          ) : null}
          <div className="flex flex-wrap gap-2">
            <Action
              disabled={!current || busy}
              data-testid="workbench-use-current"
              onClick={() => current && load(current)}
            >
              Use this page&apos;s token
            </Action>
            <Action
              pending={busy}
              disabled={!decoded}
              data-testid="workbench-send"
              onClick={() => busyWhile(() => send("As written", trimmed))}
            >
              Send it
            </Action>
            {fragment ? (
              <a href={fragment} data-testid="workbench-share" className={`self-center text-sm ${LINK}`}>
                Link to this view (no signature)
              </a>
            ) : null}
          </div>
          {shared ? (
            <p data-testid="workbench-shared" className="text-xs text-zinc-600 dark:text-zinc-400">
              Opened from a link: a header and a payload, with no signature. A link never carries a working token.
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
                <CodeArea
                  key={name}
                  name={name.toLowerCase()}
                  label={name}
                  rows={name === "Header" ? 10 : 12}
                  value={value}
                  disabled={busy}
                  onText={set}
                />
              ))}
            </div>
            <div className="flex flex-wrap items-center gap-2">
              <Action disabled={busy} data-testid="workbench-reencode" onClick={reencode}>
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
              <Action pending={busy} data-testid="workbench-verify-jwks" onClick={() => verify("jwks")}>
                With this server&apos;s JWKS
              </Action>
              <CodeArea
                name="key"
                label="Or with a public key (PEM, a JWK or a JWKS)"
                rows={3}
                value={keyText}
                onText={setKeyText}
                placeholder="-----BEGIN PUBLIC KEY-----"
              />
              <Action
                pending={busy}
                disabled={!keyText.trim()}
                data-testid="workbench-verify-key"
                onClick={() => verify("key")}
              >
                With this key
              </Action>
            </section>
          </>
        ) : null}
        {/* Mounted before it has anything to say, so screen readers announce the first verdict too. */}
        <p
          role="status"
          data-testid="workbench-signature"
          data-valid={check ? check.result.ok : undefined}
          className={`text-sm empty:hidden ${check?.result.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`}
        >
          {!check
            ? null
            : check.result.ok
              ? `The signature verifies with ${check.against} (${check.result.alg}${check.result.kid ? `, kid ${check.result.kid}` : ""}).`
              : `The signature does not verify with ${check.against}: ${check.result.code}, ${check.result.reason}`}
        </p>

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
                  aria-describedby={`workbench-how-${attack.id}`}
                  data-testid={`workbench-attack-${attack.id}`}
                  onClick={() => attackWith(attack)}
                >
                  {attack.title}
                </Action>
                <p id={`workbench-how-${attack.id}`} className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
                  {attack.how}
                </p>
              </li>
            ))}
          </ul>
          {attackError ? (
            <p role="alert" data-testid="workbench-attack-error" className="text-sm text-red-700 dark:text-red-300">
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
              {sent.map((entry, index) => (
                <li
                  key={entry.id}
                  ref={index === 0 ? newest : undefined}
                  tabIndex={index === 0 ? -1 : undefined}
                  data-testid="workbench-sent"
                  data-what={entry.what}
                  className="rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-800"
                >
                  <p className="font-medium">{entry.what}</p>
                  <ul className="mt-1 space-y-1">
                    {entry.answers.map((answer) => (
                      <li
                        key={answer.kind}
                        data-testid="workbench-answer"
                        data-target={answer.kind}
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
