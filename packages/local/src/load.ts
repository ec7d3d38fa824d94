import autocannon from "autocannon";
import { percentile, round } from "./stats.js";

/** What a load run measured: throughput, latency from every response's own time, statuses, failures. */
export interface LoadResult {
  readonly connections: number;
  readonly seconds: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  /** Responses by HTTP status. */
  readonly statuses: Record<string, number>;
  /** Connection errors and timeouts (requests that got no response). */
  readonly errors: number;
}

/**
 * Runs autocannon (the load tool of the benchmarks, the load test and the soak test) and
 * summarises it; `options.requests` can chain calls per connection (create, ask, read).
 */
export async function runLoad(
  options: autocannon.Options & { connections: number; duration: number },
): Promise<LoadResult> {
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(options, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
  instance.on("response", (_client, statusCode, _bytes, ms) => {
    times.push(ms);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await done;
  return {
    connections: options.connections,
    seconds: options.duration,
    requests: times.length,
    requestsPerSecond: round(times.length / options.duration, 1),
    p50Ms: round(percentile(times, 50)),
    p95Ms: round(percentile(times, 95)),
    maxMs: round(Math.max(...times)),
    statuses,
    errors: result.errors + result.timeouts,
  };
}
