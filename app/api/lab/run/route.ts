import { route } from "@/lib/http";
import { lastLabRunResponse, labRunResponse } from "@/lib/showcase/lab-run";

// "Run the lab": every strategy measured on a throwaway account, the steps
// streamed as newline-delimited JSON, then the run.
export const POST = route(labRunResponse);

// The last completed run, which the dashboard's table shows.
export const GET = route(lastLabRunResponse);
