import {
  WIRE_INTERVAL_DEFAULT_SECONDS,
  WIRE_INTERVAL_MAX_SECONDS,
  WIRE_INTERVAL_MIN_SECONDS,
} from "../../shared/wires";
import type { CacheHints } from "./fetch";

/*
 * Pure: when to fetch a wire next. Like the feed readers that treat publishers well: the wire's
 * own word (Retry-After, Cache-Control max-age, RSS ttl) is honoured, a quiet wire is asked less
 * often than a busy one, and a failing one is left alone longer each time, with jitter so that
 * many nodes or wires on one host do not return in step.
 */

/** A wire that keeps failing is asked at most this rarely while it is still followed. */
export const WIRE_BACKOFF_MAX_SECONDS = 6 * 60 * 60;
/** A source that fails this many times in a row is disabled. */
export const WIRE_FAILURES_MAX = 10;
/** The adaptive interval never grows past an hour: a desk wants a quiet wire's next entry soon. */
const ADAPTIVE_MAX_SECONDS = 60 * 60;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * The interval that fits how often a wire really publishes: half the mean gap between its recent
 * entries' times (so a new entry waits on average a quarter of its gap), between 30 s and an hour;
 * five minutes while fewer than two entries carry a time.
 */
export function adaptiveIntervalSeconds(publishedTimes: readonly string[]): number {
  const times = publishedTimes
    .map((t) => Date.parse(t))
    .filter((t) => !Number.isNaN(t))
    .sort((a, b) => b - a)
    .slice(0, 10);
  const newest = times[0];
  const oldest = times.at(-1);
  if (times.length < 2 || newest === undefined || oldest === undefined || newest === oldest) {
    return WIRE_INTERVAL_DEFAULT_SECONDS;
  }
  const meanGapSeconds = (newest - oldest) / 1000 / (times.length - 1);
  return Math.round(clamp(meanGapSeconds / 2, WIRE_INTERVAL_MIN_SECONDS, ADAPTIVE_MAX_SECONDS));
}

/** After a good answer: the base interval, or longer when the wire asks for that. */
export function nextAfterSuccess(baseSeconds: number, hints: CacheHints, ttlSeconds: number | null): number {
  const asked = Math.max(hints.retryAfterSeconds ?? 0, hints.maxAgeSeconds ?? 0, ttlSeconds ?? 0);
  return clamp(Math.max(baseSeconds, asked), WIRE_INTERVAL_MIN_SECONDS, WIRE_INTERVAL_MAX_SECONDS);
}

/**
 * After the `failures`-th failure in a row: the base interval doubled per failure, up to six
 * hours, times a random factor between 0.5 and 1.5; never sooner than a Retry-After asks.
 */
export function nextAfterFailure(
  baseSeconds: number,
  failures: number,
  hints: CacheHints,
  random: () => number = Math.random,
): number {
  const backoff = Math.min(baseSeconds * 2 ** Math.max(0, failures - 1), WIRE_BACKOFF_MAX_SECONDS);
  const jittered = backoff * (0.5 + random());
  return Math.round(
    clamp(
      Math.max(jittered, hints.retryAfterSeconds ?? 0),
      WIRE_INTERVAL_MIN_SECONDS,
      WIRE_INTERVAL_MAX_SECONDS,
    ),
  );
}
