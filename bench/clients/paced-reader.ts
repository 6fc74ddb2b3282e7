/**
 * A reader load at a fixed rate (open loop: requests go out on schedule whether or not the
 * earlier ones have come back), so a slower server shows as latency, not as fewer requests.
 * Prints one JSON line: {count, errors, p50, p99, max} in ms.
 *
 *   node --import tsx bench/clients/paced-reader.ts URL RATE SECONDS
 */
import http from 'node:http';
import { summarize } from '../lib/stats.ts';

const [url, rateText, secondsText] = process.argv.slice(2);
if (!url || !rateText || !secondsText) throw new Error('usage: paced-reader URL RATE SECONDS');
const target = new URL(url);
if (!/^127\./.test(target.hostname)) throw new Error('loopback targets only');
const rate = Number(rateText);
const seconds = Number(secondsText);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const latencies: number[] = [];
let errors = 0;

function one(): Promise<void> {
  const started = performance.now();
  return new Promise((done) => {
    const req = http.get(
      { host: target.hostname, port: target.port, path: target.pathname, agent, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(performance.now() - started);
          else errors += 1;
          done();
        });
      },
    );
    req.on('error', () => {
      errors += 1;
      done();
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

const pending: Promise<void>[] = [];
const begin = performance.now();
const total = Math.round(rate * seconds);
for (let n = 0; n < total; n++) {
  const due = begin + (n * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((go) => setTimeout(go, wait));
  pending.push(one());
}
await Promise.all(pending);
agent.destroy();
const summary = summarize(Float64Array.from(latencies));
console.log(JSON.stringify({ ...summary, errors }));
