import { expect, test } from "../fixtures";
import { PASSWORD, uniqueEmail } from "../helpers";
import { requestFrom, streamFrom } from "../from-address";
import { useOwnServer } from "../own-server";

// The demo's server-wide switches and experiments, shared fairly between
// visitors. Found by the third security review: every visitor of the shared
// demo account drew on one switch allowance (one visitor's flips made
// another's first a 429); one address ran 10 experiments at once from 10
// token families; and one visitor's six queued sign-out-everywhere runs made
// another visitor's take 56.6 s instead of 7.8 s. On a server with the
// default limits and the demo controls on.
test.describe("demo controls, between visitors", { tag: "@once" }, () => {
  const server = useOwnServer("demo-controls", 21, {
    DEMO_CONTROLS: "on",
    THROTTLE_SWITCH_IP_FREE: "",
    SCENARIO_RUNS_PER_ADDRESS: "",
  });

  const tokenFor = async (from: string, email: string, password: string) => {
    const answer = await requestFrom(from, `${server.url}/api/auth/token`, { body: { email, password } });
    expect(answer.status).toBe(200);
    return { authorization: `Bearer ${answer.json!.access_token as string}` };
  };
  const newUser = async (from: string) => {
    const email = uniqueEmail("controls");
    expect(
      (await requestFrom(from, `${server.url}/api/auth/register`, { body: { email, password: PASSWORD } })).status,
    ).toBe(201);
    return email;
  };

  test("each visitor of the shared demo account has a switch allowance of their own", async () => {
    const first = await tokenFor("127.0.0.2", "demo@example.com", "demo-password");
    const second = await tokenFor("127.0.0.3", "demo@example.com", "demo-password");
    const flip = (from: string, headers: Record<string, string>) =>
      requestFrom(from, `${server.url}/api/auth/denylist`, { method: "PUT", headers, body: { enabled: false } });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await flip("127.0.0.2", first)).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    expect((await flip("127.0.0.3", second)).status).toBe(200);
  });

  test("one address runs at most three experiments at once, however many sign-ins it holds", async () => {
    const email = await newUser("127.0.0.4");
    const callers = await Promise.all(Array.from({ length: 5 }, () => tokenFor("127.0.0.4", email, PASSWORD)));
    const answers = await Promise.all(
      callers.map((headers) =>
        requestFrom("127.0.0.4", `${server.url}/api/scenarios/expiry`, { method: "POST", headers }),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(answers.find((answer) => answer.status === 429)!.json).toMatchObject({ error: "throttled" });
  });

  test("one visitor's queued sign-out-everywhere runs do not hold another visitor's back: theirs goes next", async () => {
    test.setTimeout(120_000);
    const busy = "127.0.0.5";
    const callers = await Promise.all([1, 2].map(async () => tokenFor(busy, await newUser(busy), PASSWORD)));
    const other = await tokenFor("127.0.9.2", await newUser("127.0.9.2"), PASSWORD);
    const finished: string[] = [];
    // Asked for its live steps: the first one arrives once the run has its turn.
    const run = (name: string, from: string, headers: Record<string, string>) => {
      const { firstChunk, answer } = streamFrom(from, `${server.url}/api/scenarios/sign-out-everywhere`, {
        method: "POST",
        headers: { ...headers, accept: "application/x-ndjson" },
      });
      const done = answer.then((whole) => {
        expect(whole.status, `${name}: ${whole.text.slice(0, 200)}`).toBe(200);
        expect(whole.text).not.toContain('"error"');
        finished.push(name);
      });
      return { started: firstChunk, done };
    };
    const first = run("busy-1", busy, callers[0]!);
    await first.started;
    // While busy-1 runs, busy-2 asks first, then the other visitor.
    const second = run("busy-2", busy, callers[1]!);
    const theirs = run("other", "127.0.9.2", other);
    await Promise.all([first.done, second.done, theirs.done]);
    // busy-1 had its network's turn; the other visitor's came next.
    expect(finished).toEqual(["busy-1", "other", "busy-2"]);
  });
});
