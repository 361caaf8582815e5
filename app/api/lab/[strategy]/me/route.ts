import { labMe } from "@/lib/showcase/lab";
import { route } from "@/lib/http";

// Who this strategy's credential says you are, and the store reads the check took.
export const GET = route<{ params: Promise<{ strategy: string }> }>(async (request, { params }) =>
  labMe((await params).strategy, request),
);
