// Loaded into every Node process of the server under `npm run bench:profile`
// (NODE_OPTIONS=--import=…; Node refuses --cpu-prof there, and the server
// runs two launchers deep: tsx, scripts/serve-test.ts). Each process writes
// its pid to CPU_PROFILE_DIR as <script>.pid (server.ts.pid for the app);
// SIGUSR2 starts V8's CPU profiler in that process, and the next SIGUSR2
// stops it and writes <script>.<pid>.cpuprofile. So the profile holds the
// measured load alone, not the start or the sign-ins, and does not depend
// on how the process ends.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import path from "node:path";

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  const script = path.relative(process.cwd(), process.argv[1] ?? "node").replaceAll(path.sep, "_");
  writeFileSync(path.join(dir, `${script}.pid`), String(process.pid));
  const session = new Session();
  session.connect();
  let profiling = false;
  process.on("SIGUSR2", () => {
    if (!profiling) {
      session.post("Profiler.enable");
      // µs between samples: Node's --cpu-prof default.
      session.post("Profiler.setSamplingInterval", { interval: 1000 });
      session.post("Profiler.start");
    } else {
      session.post("Profiler.stop", (error, result) => {
        if (error) throw error;
        writeFileSync(path.join(dir, `${script}.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
      });
    }
    profiling = !profiling;
  });
}
