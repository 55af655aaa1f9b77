import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";
import { ChangeSequencer } from "../../server/timeline/sequencer";
import { Timeline } from "../../server/timeline/timeline";
import type { Change } from "../../shared/item";
import { createItemSchema } from "../../shared/requests";
import { tempDir } from "../helpers/server";

let dir: string;
let storage: SqliteStorage;
let timeline: Timeline;
let sequencer: ChangeSequencer | undefined;
const author = { name: "wire", principal: "token:wire" };

beforeEach(async () => {
  dir = tempDir();
  storage = SqliteStorage.open(path.join(dir, "livedesk.db"));
  await storage.createTopic({ slug: "world", name: "World" });
  timeline = new Timeline(storage);
});
afterEach(async () => {
  sequencer?.close();
  vi.useRealTimers();
  await storage.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Commits `count` items and returns their changes, as the fan-out would have carried them. */
async function commit(count: number): Promise<Change[]> {
  const changes: Change[] = [];
  const stop = timeline.onChange((change) => changes.push(change));
  for (let i = 0; i < count; i += 1) {
    await timeline.publish(createItemSchema.parse({ headline: `Story ${i}`, topics: ["world"] }), author);
  }
  stop();
  return changes;
}

function follow(options: ConstructorParameters<typeof ChangeSequencer>[3] = {}) {
  const released: number[] = [];
  sequencer = new ChangeSequencer(0, storage, (change) => released.push(change.seq), options);
  return { sequencer, released };
}

/** Fakes only the timers the sequencer uses: SQLite's group commit runs on setImmediate. */
function useFakeClock(): void {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
}

const seqs = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("the sequencer releases every change once and in order, whatever the fan-out does", () => {
  it("fetches a change the fan-out lost while later ones keep coming, instead of waiting for ever", async () => {
    useFakeClock();
    const changes = await commit(52);
    const { sequencer, released } = follow({ gapWaitMs: 1000, checkEveryMs: 60_000 });
    // 1, then 3, 4, 5… every 200 ms for 10 s: seq 2 never arrives through the fan-out.
    const [first, , ...rest] = changes;
    if (first === undefined) throw new Error("nothing committed");
    sequencer.push(first);
    let seen = 0;
    let firstAllOut: number | undefined;
    for (const [i, change] of rest.entries()) {
      await vi.advanceTimersByTimeAsync(200);
      sequencer.push(change);
      seen = change.seq;
      if (firstAllOut === undefined && (released.at(-1) ?? 0) >= seen) firstAllOut = (i + 1) * 200;
    }
    expect(released).toEqual(seqs(1, 52));
    // Everything was out within the gap's wait plus one read of storage (and a push's 200 ms).
    expect(firstAllOut).toBeLessThanOrEqual(1000 + 200);
  });

  it("drops a change it already released, such as its own commit coming back through Redis", async () => {
    const changes = await commit(3);
    const { sequencer, released } = follow();
    for (const change of [...changes, ...changes]) sequencer.push(change);
    expect(released).toEqual([1, 2, 3]);
  });

  it("holds a change until the ones before it are out", async () => {
    const [one, two, three] = await commit(3);
    if (one === undefined || two === undefined || three === undefined) throw new Error("not committed");
    const { sequencer, released } = follow();
    sequencer.push(three);
    sequencer.push(one);
    expect(released).toEqual([1]);
    sequencer.push(two);
    expect(released).toEqual([1, 2, 3]);
  });

  it("fetches a lost tail (no later change shows the gap) on its regular check against storage", async () => {
    useFakeClock();
    const { released, sequencer } = follow({ checkEveryMs: 500 });
    await commit(5);
    expect(sequencer.lastReleasedSeq()).toBe(0);
    await vi.advanceTimersByTimeAsync(1100);
    expect(released).toEqual(seqs(1, 5));
    expect(sequencer.lagging()).toBeUndefined();
  });

  it("reports the broadcast lagging storage while storage cannot be read, and never skips", async () => {
    useFakeClock();
    const [one, , , four] = await commit(4);
    if (one === undefined || four === undefined) throw new Error("not committed");
    // The same database behind a connection that goes away and comes back.
    let current = storage;
    const log = {
      changesSince: (since: number, limit: number) => current.changesSince(since, limit),
      latestSeq: () => current.latestSeq(),
    };
    const released: number[] = [];
    sequencer = new ChangeSequencer(0, log, (change) => released.push(change.seq), {
      gapWaitMs: 200,
      checkEveryMs: 500,
    });
    await vi.advanceTimersByTimeAsync(500);
    await storage.close();
    sequencer.push(one);
    sequencer.push(four);
    await vi.advanceTimersByTimeAsync(2000);
    expect(released).toEqual([1]);
    expect(sequencer.lagging()).toEqual({ released: 1, storage: 4 });
    current = SqliteStorage.open(path.join(dir, "livedesk.db"));
    storage = current;
    await vi.advanceTimersByTimeAsync(600);
    expect(released).toEqual([1, 2, 3, 4]);
    expect(sequencer.lagging()).toBeUndefined();
  });

  it("does not count changes in flight through the fan-out as lag", async () => {
    useFakeClock();
    const { released, sequencer } = follow({ checkEveryMs: 500 });
    for (let i = 0; i < 30; i += 1) {
      const [change] = await commit(1);
      await vi.advanceTimersByTimeAsync(100);
      // Storage may have been read with this change in it, not yet released: that is no lag.
      expect(sequencer.lagging()).toBeUndefined();
      if (change !== undefined) sequencer.push(change);
    }
    expect(released).toEqual(seqs(1, 30));
  });

  it("catches up on demand, as after Redis reconnects", async () => {
    const { released, sequencer } = follow({ checkEveryMs: 60_000 });
    await commit(7);
    await sequencer.catchUp();
    expect(released).toEqual(seqs(1, 7));
  });
});
