import { readFileSync } from "node:fs";
import http from "node:http";
import { expect, test } from "../fixtures";
import { PASSWORD, uniqueEmail } from "../helpers";
import { requestFrom } from "../from-address";
import { useOwnServer } from "../own-server";

// A client that stops reading an experiment's live steps (a closed tab).
// Found by the third security review: each abort raised an unhandled
// rejection (ERR_INVALID_STATE, a step written to the closed stream) in the
// server. Now the stream's cancel() stops the run at its next step, and
// nothing is written after it. On a server of its own, to read its log.
test.describe("an experiment whose client goes away", { tag: "@once" }, () => {
  const server = useOwnServer("scenario-abort", 23, {});

  // Starts a streamed run and hangs up as soon as its first step arrives.
  const startAndHangUp = (cookie: string) =>
    new Promise<string>((resolve, reject) => {
      const url = new URL(`${server.url}/api/scenarios/expiry`);
      const request = http.request({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { cookie, origin: server.url, accept: "application/x-ndjson" },
      });
      request.on("response", (response) => {
        response.setEncoding("utf8");
        response.once("data", (chunk: string) => {
          request.destroy();
          resolve(chunk);
        });
      });
      request.on("error", (error) => ((error as NodeJS.ErrnoException).code === "ECONNRESET" ? null : reject(error)));
      request.end();
    });

  test("the run stops, the visitor may start another at once, and the server logs no unhandled error", async () => {
    const email = uniqueEmail("abort");
    await requestFrom("127.0.0.1", `${server.url}/api/auth/register`, { body: { email, password: PASSWORD } });
    const signIn = await requestFrom("127.0.0.1", `${server.url}/api/session`, { body: { email, password: PASSWORD } });
    const cookie = (signIn.headers["set-cookie"] ?? [])[0]!.split(";")[0]!;
    for (let i = 0; i < 2; i++) {
      expect(await startAndHangUp(cookie)).toContain('"step"');
      // The run (5 s or more when read to the end) stops at its next step,
      // which frees the visitor's one-at-a-time slot.
      await expect
        .poll(
          async () =>
            (
              await requestFrom("127.0.0.1", `${server.url}/api/scenarios/csrf`, {
                method: "POST",
                headers: { cookie },
              })
            ).status,
          { intervals: [250], timeout: 3000 },
        )
        .toBe(200);
    }
    expect((await requestFrom("127.0.0.1", `${server.url}/api/health`)).status).toBe(200);
    const log = readFileSync("test-results/scenario-abort.log", "utf8");
    expect(log).not.toMatch(/ERR_INVALID_STATE|unhandledRejection|Invalid state/);
  });
});
