// npm run bench:report: rewrites the benchmark blocks of docs/performance.md
// from the committed results, one per database (npm run bench does it for
// its database after every full run).
import { readBenchResults } from "@/lib/showcase/bench-results";
import { committedResultsFile, REPORT_FILE, writeReport } from "@/bench/report";
import { SetupError } from "@/scripts/setup-error";

for (const database of ["sqlite", "postgres"] as const) {
  const read = readBenchResults(database, committedResultsFile(database));
  if (read.status !== "ok") throw new SetupError(`${read.file} is ${read.status}: run \`npm run bench\` first.`);
  writeReport(read.result);
  console.log(`Wrote the ${database} benchmark block of ${REPORT_FILE} from ${read.file}.`);
}
