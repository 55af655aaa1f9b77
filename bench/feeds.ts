/**
 * `npm run bench:feeds` (and the end of `npm run bench`): the feeds under feed readers and a CDN
 * revalidating them. A livedesk process with a realistic feed (60 items: edits with corrections,
 * retractions) is asked for its feeds by 32 connections at once for 5 seconds each:
 *
 * - with `If-None-Match` naming the current ETag: the 304 a poller gets while nothing changed,
 *   which must reach 1,000 a second on one node (issue #13);
 * - without it: the whole feed, which is kept rendered until the timeline changes.
 *
 *   npm run bench:feeds -- --seconds 5 --connections 32
 */
import autocannon from "autocannon";
import { Desk } from "../tests/helpers/desk";
import { option } from "./crowd";

const SECONDS = Number(option("seconds", "5"));
const CONNECTIONS = Number(option("connections", "32"));
const TARGET_304_PER_SECOND = 1000;

const write = (line = "") => process.stdout.write(`${line}\n`);

async function fill(desk: Desk): Promise<void> {
  for (let i = 0; i < 60; i += 1) {
    const item = await desk.publish({
      headline: `Feed bench story ${i}`,
      summary: "The council met late into the night. ".repeat(8).trim(),
      topics: i % 2 === 0 ? ["world"] : ["politics", "world"],
      url: `https://example.org/story/${i}`,
    });
    if (i % 5 === 0)
      await desk.edit(item, { summary: "Corrected text.", correction: "An earlier version was wrong." });
    else if (i % 7 === 0) await desk.retract(item, "Could not be confirmed.");
  }
}

async function load(url: string, headers: Record<string, string> = {}) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  return {
    perSecond: (result["2xx"] + result["3xx"]) / result.duration,
    notModified: result["3xx"],
    full: result["2xx"],
    failed: result.non2xx - result["3xx"] + result.errors + result.timeouts,
    p99: result.latency.p99,
  };
}

async function main(): Promise<void> {
  const desk = await Desk.start({ logToFile: true });
  try {
    await fill(desk);
    write(`## Feeds (${CONNECTIONS} connections, ${SECONDS} s each, one livedesk node on SQLite)`);
    write();
    write("| request | answers/s | 304 | 200 | failed | p99 ms |");
    write("| --- | ---: | ---: | ---: | ---: | ---: |");
    let met = true;
    for (const path of ["/feed.atom", "/feed.json", "/feed.atom?topic=politics"]) {
      const first = await fetch(`${desk.url}${path}`);
      await first.arrayBuffer();
      const etag = first.headers.get("etag") ?? "";
      const revalidated = await load(`${desk.url}${path}`, { "if-none-match": etag });
      const full = await load(`${desk.url}${path}`);
      met &&=
        revalidated.perSecond >= TARGET_304_PER_SECOND && revalidated.full === 0 && revalidated.failed === 0;
      for (const [what, row] of [
        [`${path} with If-None-Match`, revalidated],
        [`${path} in full`, full],
      ] as const) {
        write(
          `| ${what} | ${row.perSecond.toFixed(0)} | ${row.notModified} | ${row.full} | ${row.failed} | ${row.p99} |`,
        );
      }
    }
    write();
    write(`304s on one node: ${TARGET_304_PER_SECOND}/s or more ${met ? "met" : "NOT met"}.`);
  } finally {
    await desk.stop();
  }
}

await main();
