import autocannon from "autocannon";
for (const path of process.argv.slice(2)) {
  const res = await autocannon({ url: "http://127.0.0.1:3300" + path, connections: 10, duration: 5 });
  console.log(path.padEnd(24), Math.round(res.requests.average), "req/s p50", res.latency.p50, "p99", res.latency.p99, "non2xx", res.non2xx);
}
