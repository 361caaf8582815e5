import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, type APIRequestContext, type APIResponse, type Page } from "@playwright/test";

export const PASSWORD = "a test password";

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${randomUUID()}@example.com`;
}

// An API client's sign-in (client_id "api"): the refresh token comes in the
// JSON, for tests that present it themselves. A test that needs only an
// access token takes the `tokens` fixture (e2e/fixtures/tokens.ts) instead.
export async function apiClientTokens(
  request: APIRequestContext,
  account: { email: string; password: string },
  headers: Record<string, string> = {},
) {
  const answer = await request.post("/api/auth/token", {
    data: { email: account.email, password: account.password },
    headers,
  });
  expect(answer.status(), await answer.text()).toBe(200);
  return (await answer.json()) as {
    access_token: string;
    refresh_token: string;
    expires_in: number;
    refresh_expires_in: number;
    token_type: string;
  };
}

// Signs in with one of the dashboard's two columns (the page is open), for
// tests about those forms; others sign in with signInBrowser (e2e/fixtures/).
export async function signInOnDashboard(
  page: Page,
  column: "session" | "jwt",
  account: { email: string; password: string },
) {
  const form = page.getByTestId(`${column}-signin`);
  await form.getByLabel("Email").fill(account.email);
  await form.getByLabel("Password").fill(account.password);
  await form.getByRole("button", { name: /Sign in with/ }).click();
}

export type SetCookie = { name: string; value: string; attributes: Record<string, string | true> };

export function setCookies(response: APIResponse): SetCookie[] {
  return response
    .headersArray()
    .filter((h) => h.name.toLowerCase() === "set-cookie")
    .map((h) => {
      const [pair = "", ...attrs] = h.value.split(";").map((p) => p.trim());
      const eq = pair.indexOf("=");
      const attributes: Record<string, string | true> = {};
      for (const attr of attrs) {
        const i = attr.indexOf("=");
        if (i === -1) attributes[attr.toLowerCase()] = true;
        else attributes[attr.slice(0, i).toLowerCase()] = attr.slice(i + 1);
      }
      return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
    });
}

// The build's server actions, by exported name (ids change with every build).
function serverActions(): Record<string, { exportedName?: string }> {
  return (
    JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
      node: Record<string, { exportedName?: string }>;
    }
  ).node;
}

export function actionId(name: string): string {
  return Object.entries(serverActions()).find(([, entry]) => entry.exportedName === name)![0];
}

export function allActionIds(): string[] {
  return Object.keys(serverActions());
}
