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

// Thrown into a run by its next step once the client has gone away.
export class RunCancelled extends Error {
  override name = "RunCancelled";
  constructor() {
    super("The client stopped reading the experiment's steps.");
  }
}

export async function progressResponse<T>(run: (progress: (step: string) => void) => Promise<Result<T>>) {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  // The client closed the connection (Next cancels the body): the run stops
  // at its next step, its own clean-up still running (a scenario ends every
  // credential it minted), and nothing is written to the closed stream.
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    start: (c) => void (controller = c),
    cancel: () => void (cancelled = true),
  });
  const write = (line: unknown) => {
    if (!cancelled) controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
  };
  let firstStep!: () => void;
  const stepped = new Promise<"stepped">((resolve) => (firstStep = () => resolve("stepped")));
  const finished = run((step) => {
    if (cancelled) throw new RunCancelled();
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
    .catch((error: unknown) => {
      if (!(error instanceof RunCancelled)) console.error("[scenario]", error);
      write({ error: "server_error", error_description: "The experiment failed." });
    })
    .finally(() => {
      if (!cancelled) controller.close();
    });
  return new Response(stream, { headers: { "Content-Type": STEPS_MEDIA_TYPE, "Cache-Control": "no-store" } });
}
