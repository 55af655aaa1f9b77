import { describe, expect, it } from "vitest";
import { WIRE_FETCH_TIMEOUT_MS } from "../../server/wires/fetch";
import {
  adaptiveIntervalSeconds,
  nextAfterFailure,
  nextAfterSuccess,
  WIRE_BACKOFF_MAX_SECONDS,
} from "../../server/wires/schedule";

const none = { retryAfterSeconds: null, maxAgeSeconds: null };
const minutesApart = (n: number, minutes: number) =>
  Array.from({ length: n }, (_, i) => new Date(Date.UTC(2026, 2, 1) - i * minutes * 60_000).toISOString());

describe("when a wire is fetched next", () => {
  it("waits at most 15 s for a wire's answer", () => {
    expect(WIRE_FETCH_TIMEOUT_MS).toBeLessThanOrEqual(15_000);
  });

  it("starts at five minutes and adapts to how often the wire publishes, never under 30 s", () => {
    expect(adaptiveIntervalSeconds([])).toBe(300);
    expect(adaptiveIntervalSeconds(minutesApart(1, 1))).toBe(300);
    expect(adaptiveIntervalSeconds(minutesApart(10, 20))).toBe(600);
    expect(adaptiveIntervalSeconds(minutesApart(10, 0.1))).toBe(30);
    expect(adaptiveIntervalSeconds(minutesApart(10, 60 * 24))).toBe(3600);
  });

  it("honours Retry-After, max-age and ttl when they ask for longer, and never goes under 30 s", () => {
    expect(nextAfterSuccess(300, none, null)).toBe(300);
    expect(nextAfterSuccess(300, { retryAfterSeconds: 900, maxAgeSeconds: null }, null)).toBe(900);
    expect(nextAfterSuccess(300, { retryAfterSeconds: null, maxAgeSeconds: 1200 }, null)).toBe(1200);
    expect(nextAfterSuccess(300, none, 3600)).toBe(3600);
    expect(nextAfterSuccess(5, { retryAfterSeconds: 0, maxAgeSeconds: 0 }, null)).toBe(30);
  });

  it("backs off exponentially with jitter on errors, up to six hours, honouring Retry-After", () => {
    const low = () => 0;
    const high = () => 0.999;
    expect(nextAfterFailure(300, 1, none, low)).toBe(150);
    expect(nextAfterFailure(300, 1, none, high)).toBeCloseTo(450, -1);
    expect(nextAfterFailure(300, 3, none, low)).toBe(600);
    expect(nextAfterFailure(300, 30, none, low)).toBe(WIRE_BACKOFF_MAX_SECONDS / 2);
    expect(nextAfterFailure(300, 1, { retryAfterSeconds: 7200, maxAgeSeconds: null }, low)).toBe(7200);
    const spread = new Set(Array.from({ length: 20 }, () => nextAfterFailure(300, 2, none)));
    expect(spread.size).toBeGreaterThan(1);
  });
});
