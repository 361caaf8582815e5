import { labRevoke } from "@/lib/showcase/lab";
import { route } from "@/lib/http";

// End this strategy's credential as far as it can, and say until when a copy still works.
export const POST = route<{ params: Promise<{ strategy: string }> }>(async (request, { params }) =>
  labRevoke((await params).strategy, request),
);
