// A long experiment's answer as it happens: newline-delimited JSON, one
// `{"step": "…"}` per step, then the answer itself (the result, or the
// error's body). What decides the status, such as who the caller is and
// whether a run is already going, happens before the first step; so the
// answer waits for the first step or the end, and a failure before any step
// keeps its own status instead of a 200 stream.
import "server-only";
import { errorResponse, type Result } from "@/lib/errors";

export const NDJSON = "application/x-ndjson";

export function wantsProgress(headers: Headers): boolean {
  return (headers.get("accept") ?? "").includes(NDJSON);
}

export async function progressResponse<T>(run: (progress: (step: string) => void) => Promise<Result<T>>) {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const write = (line: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
  let firstStep!: () => void;
  const stepped = new Promise<"stepped">((resolve) => (firstStep = () => resolve("stepped")));
  let steps = 0;
  const finished = run((step) => {
    steps++;
    write({ step });
    firstStep();
  });
  if ((await Promise.race([stepped, finished])) !== "stepped") {
    const result = await finished;
    if (!result.ok && steps === 0) return errorResponse(result.error);
  }
  void finished
    .then((result) =>
      write(result.ok ? result.value : { error: result.error.code, error_description: result.error.description }),
    )
    .catch(() => write({ error: "server_error", error_description: "The experiment failed." }))
    .finally(() => controller.close());
  return new Response(stream, { headers: { "Content-Type": NDJSON, "Cache-Control": "no-store" } });
}
