// A client of the cluster: plain fetch with its credentials in hand, so a
// test can carry one cookie or token from instance to instance.
// One instance, or the balancer in front of them.
export type Target = { name: string; url: string };

export type Account = { email: string; password: string };

// `body` is sent as JSON; `raw` as given (with the caller's content type).
export async function call(
  instance: Target,
  path: string,
  init: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { origin: instance.url, ...init.headers };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${instance.url}${path}`, {
    method: init.method ?? (init.body === undefined && init.raw === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? init.raw : JSON.stringify(init.body),
    redirect: "manual",
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json: json as Record<string, unknown> | null, text, headers: response.headers };
}

export async function register(instance: Target, account: Account): Promise<string> {
  const answer = await call(instance, "/api/auth/register", { body: account });
  if (answer.status !== 201) throw new Error(`register on ${instance.name}: ${answer.status} ${answer.text}`);
  return answer.json!.id as string;
}

// The session cookie as a Cookie header value ("svj_session=…").
export async function signInSession(
  instance: Target,
  account: Account,
): Promise<{ cookie: string; sessionId: string }> {
  const answer = await call(instance, "/api/session", { body: account });
  if (answer.status !== 200) throw new Error(`session sign-in on ${instance.name}: ${answer.status} ${answer.text}`);
  const cookie = answer.headers
    .getSetCookie()
    .find((line) => line.startsWith("svj_session="))!
    .split(";")[0]!;
  return { cookie, sessionId: (answer.json!.session as { id: string }).id };
}

export type TokenPair = { access_token: string; refresh_token: string };

export async function signInToken(instance: Target, account: Account): Promise<TokenPair> {
  const answer = await call(instance, "/api/auth/token", { body: account });
  if (answer.status !== 200) throw new Error(`token sign-in on ${instance.name}: ${answer.status} ${answer.text}`);
  return answer.json as unknown as TokenPair;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
export const withCookie = (cookie: string) => ({ cookie });
