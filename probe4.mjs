import autocannon from "autocannon";
const base = "http://127.0.0.1:3300";
const creds = { email: "demo@example.com", password: "demo-password" };
const r = await fetch(base + "/api/session", { method: "POST", headers: { "content-type": "application/json", origin: base }, body: JSON.stringify(creds) });
const cookie = r.headers.get("set-cookie").split(";")[0];
const res = await autocannon({ url: base + process.argv[2], headers: { cookie }, connections: 10, duration: 10 });
console.log(Math.round(res.requests.average), "req/s p50", res.latency.p50, "p99", res.latency.p99, "non2xx", res.non2xx);
