// npm run bench:report: rewrites the benchmark block of docs/performance.md from
// bench/results/latest.json (npm run bench does it after every full run).
import { readBenchResults } from "@/lib/showcase/bench-results";
import { REPORT_FILE, writeReport } from "@/bench/report";
import { SetupError } from "@/scripts/setup-error";

const read = readBenchResults("bench/results/latest.json");
if (read.status !== "ok") throw new SetupError(`${read.file} is ${read.status}: run \`npm run bench\` first.`);
writeReport(read.result);
console.log(`Wrote the benchmark block of ${REPORT_FILE} from ${read.file}.`);
