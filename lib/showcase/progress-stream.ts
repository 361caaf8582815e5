// A long experiment's answer as it happens: newline-delimited JSON, one
// `{"step": "…"}` per step, then the answer itself (the result, or the
// error's body). What decides the status, such as who the caller is and
// whether a run is already going, happens before the first step; so the
// answer waits for the first step or the end, and a failure before any step
// keeps its own status instead of a 200 stream.
import "server-only";
import { errorBody, errorResponse, type Result } from "@/lib/errors";
import { STEPS_MEDIA_TYPE } from "@/lib/showcase/scenario-catalog";

export function wantsProgress(headers: Headers): boolean {
  return (headers.get("accept") ?? "").includes(STEPS_MEDIA_TYPE);
}

export async function progressResponse<T>(run: (progress: (step: string) => void) => Promise<Result<T>>) {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const write = (line: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
  let firstStep!: () => void;
  const stepped = new Promise<"stepped">((resolve) => (firstStep = () => resolve("stepped")));
  const finished = run((step) => {
    write({ step });
    firstStep();
  });
  // A step resolves `stepped` before `finished` can settle, so finishing
  // first means no step was written.
  if ((await Promise.race([stepped, finished])) !== "stepped") {
    const result = await finished;
    if (!result.ok) return errorResponse(result.error);
  }
  void finished
    .then((result) => write(result.ok ? result.value : errorBody(result.error)))
    .catch(() => write({ error: "server_error", error_description: "The experiment failed." }))
    .finally(() => controller.close());
  return new Response(stream, { headers: { "Content-Type": STEPS_MEDIA_TYPE, "Cache-Control": "no-store" } });
}
