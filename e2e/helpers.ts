import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, type APIRequestContext, type APIResponse } from "@playwright/test";

export const PASSWORD = "a test password";

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${randomUUID()}@example.com`;
}

export async function registerUser(request: APIRequestContext, email = uniqueEmail(), password = PASSWORD) {
  const response = await request.post("/api/auth/register", { data: { email, password } });
  expect(response.status()).toBe(201);
  return { email, password, id: (await response.json()).id as string };
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
