import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Desk } from "../helpers/desk";
import { startNginx } from "../helpers/nginx";

/*
 * nginx (docs/deploy/nginx.conf) keeps its connections to a node for the next request: an API
 * call through it must not cost the node a new TCP connection each (it tripled the publishes a
 * second one node takes through nginx, docs/benchmarks.md).
 */
let desk: Desk;
let nginx: { url: string; stop: () => Promise<void> };

beforeAll(async () => {
  desk = await Desk.start();
  nginx = await startNginx([Number(new URL(desk.url).port)]);
}, 120_000);

afterAll(async () => {
  await nginx?.stop();
  await desk?.stop();
});

/**
 * The TCP connections to or from the node's port that the kernel holds, the listening socket left
 * out: the open ones and, for each closed one, the TIME_WAIT entry left on the side that closed
 * it, which outlives this test.
 */
function connectionsTo(port: number): number {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  return fs
    .readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter(([, local, remote, state]) => state !== "0A" && (local?.endsWith(hex) || remote?.endsWith(hex)))
    .length;
}

describe("nginx in front of a node", () => {
  it("sends one API call after another over the same connection to the node", async () => {
    const port = Number(new URL(desk.url).port);
    const before = connectionsTo(port);
    for (let i = 0; i < 20; i += 1) {
      const answer = await fetch(`${nginx.url}/api/items?limit=1`);
      expect(answer.status).toBe(200);
      await answer.arrayBuffer();
    }
    // Without keep-alive, each of the twenty calls leaves a closed connection behind.
    expect(connectionsTo(port) - before).toBeLessThanOrEqual(2);
  });
});
