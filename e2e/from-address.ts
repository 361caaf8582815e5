// Requests from a chosen loopback address (127.0.0.2, .3, …): a real other
// client as the server's socket sees it, which no header can fake.
import http from "node:http";

export type Answer = {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: Record<string, unknown> | null;
};

type Init = { method?: string; headers?: Record<string, string>; body?: unknown };

export function requestFrom(localAddress: string, url: string, init: Init = {}): Promise<Answer> {
  return streamFrom(localAddress, url, init).answer;
}

// The same, with the answer's first chunk as soon as it arrives: for a
// streamed answer (an experiment's live steps), the moment the server began.
export function streamFrom(
  localAddress: string,
  url: string,
  init: Init = {},
): { firstChunk: Promise<string>; answer: Promise<Answer> } {
  let firstChunk!: (chunk: string) => void;
  const first = new Promise<string>((resolve) => (firstChunk = resolve));
  const answer = sendFrom(localAddress, url, init, (chunk) => firstChunk(chunk));
  // An answer with no body still ends the wait for its first chunk.
  void answer.then(
    (whole) => firstChunk(whole.text),
    () => firstChunk(""),
  );
  return { firstChunk: first, answer };
}

function sendFrom(localAddress: string, url: string, init: Init, onChunk: (chunk: string) => void): Promise<Answer> {
  const target = new URL(url);
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  const headers: Record<string, string> = { host: target.host, origin: target.origin, ...init.headers };
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port: target.port,
        path: target.pathname + target.search,
        method: init.method ?? (body ? "POST" : "GET"),
        headers,
        localAddress,
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
          onChunk(chunk);
        });
        response.on("end", () => {
          let json: Record<string, unknown> | null = null;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = null;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

// The session cookie of an answer, as a Cookie header value.
export function sessionCookieOf(answer: Answer): string {
  const line = (answer.headers["set-cookie"] ?? []).find((value) => value.startsWith("svj_session="));
  if (!line) throw new Error(`no session cookie in the answer (${answer.status} ${answer.text.slice(0, 200)})`);
  return line.split(";")[0]!;
}
