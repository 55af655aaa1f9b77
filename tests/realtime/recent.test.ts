import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";
import { RecentChanges } from "../../server/timeline/recent";
import { Timeline } from "../../server/timeline/timeline";
import { type Change, fingerprintOf } from "../../shared/item";
import { createItemSchema } from "../../shared/requests";
import { tempDir } from "../helpers/server";

let dir: string;
let storage: SqliteStorage;
let timeline: Timeline;
const author = { name: "wire", principal: "token:wire" };

beforeEach(async () => {
  dir = tempDir();
  storage = SqliteStorage.open(path.join(dir, "livedesk.db"));
  await storage.createTopic({ slug: "world", name: "World" });
  timeline = new Timeline(storage);
});
afterEach(async () => {
  await storage.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A node's memory of the timeline, fed with every change as the broadcast is. */
function remember(keep?: number): RecentChanges {
  const recent = new RecentChanges(timeline, keep);
  timeline.onChange((change) => recent.record(change));
  return recent;
}

async function publish(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    await timeline.publish(createItemSchema.parse({ headline: `Story ${i}`, topics: ["world"] }), author);
  }
}

describe("syncs answered from memory", () => {
  it("give a resuming reader exactly what storage would: every change after its seq", async () => {
    const recent = remember();
    await publish(30);
    for (const since of [0, 1, 17, 29, 30]) {
      expect(await recent.sync(since)).toEqual(await timeline.sync(since));
    }
  });

  it("leave a seq older than what is held, ahead of it, or not a number to storage", async () => {
    const recent = remember(10);
    await publish(30);
    // 30 changes, at most 20 held: from seq 5 the answer still has every change after it.
    const older = await recent.sync(5);
    expect("changes" in older && older.changes.map((c) => c.seq)).toEqual(
      Array.from({ length: 25 }, (_, i) => i + 6),
    );
    for (const since of [31, -1, "12", 2.5]) {
      expect(await recent.sync(since)).toEqual(await timeline.sync(since));
    }
  });

  it("stop trusting their record at a gap, and still answer right", async () => {
    const recent = new RecentChanges(timeline);
    const heard: Change[] = [];
    timeline.onChange((change) => heard.push(change));
    await publish(8);
    for (const change of heard.filter((c) => c.seq !== 4)) recent.record(change);
    // Change 4 never reached this node: a reader at 2 must not be answered from memory without it.
    expect(await recent.sync(2)).toEqual(await timeline.sync(2));
    expect(await recent.sync(5)).toEqual(await timeline.sync(5));
  });

  it("go to storage while this node has heard less than storage holds (its fan-out is down, say)", async () => {
    const recent = new RecentChanges(timeline);
    const heard: Change[] = [];
    timeline.onChange((change) => heard.push(change));
    await publish(5);
    for (const change of heard) recent.record(change);
    expect(await recent.sync(undefined)).toEqual(await timeline.sync(undefined));
    // Three more commits this node never heard of: nobody may be told the timeline ends at 5.
    await publish(3);
    const resumed = await recent.sync(3);
    expect("changes" in resumed && resumed.changes.map((c) => c.seq)).toEqual([4, 5, 6, 7, 8]);
    expect((await recent.sync(undefined)).seq).toBe(8);
  });

  it("share one read of the latest window among readers starting afresh, until the next change", async () => {
    const recent = remember();
    await publish(3);
    const [a, b] = await Promise.all([recent.sync(undefined), recent.sync(undefined)]);
    expect(a).toBe(b);
    expect(a).toEqual(await timeline.sync(undefined));
    await publish(1);
    const after = await recent.sync(undefined);
    expect("items" in after && after.items.map((item) => item.headline)).toContain("Story 0");
    expect(after.seq).toBe(4);
  });

  it("check the change a reader names at its seq as storage does, without reading storage for it", async () => {
    // Counts what this node asks storage beyond the latest seq: every such read goes through sync.
    let storageSyncs = 0;
    const recent = new RecentChanges({
      sync: (...args: Parameters<Timeline["sync"]>) => {
        storageSyncs += 1;
        return timeline.sync(...args);
      },
      latestSeq: () => timeline.latestSeq(),
      epoch: () => timeline.epoch(),
    });
    const heard: Change[] = [];
    timeline.onChange((change) => {
      heard.push(change);
      recent.record(change);
    });
    await publish(30);
    const at17 = heard[16];
    if (at17 === undefined) throw new Error("change 17 was not heard");
    const named = fingerprintOf(at17.item);
    const another = { ...named, updatedAt: "2026-01-01T00:00:00.000Z" };
    const fromMemory = [
      await recent.sync(17, undefined, named),
      await recent.sync(17, undefined, another),
      await recent.sync(17, undefined, { itemId: named.itemId }),
    ];
    const fromStorage = [
      await timeline.sync(17, undefined, named),
      await timeline.sync(17, undefined, another),
      await timeline.sync(17, undefined, { itemId: named.itemId }),
    ];
    const [same, other, garbled] = fromMemory;
    expect(same && "changes" in same && same.changes.map((c) => c.seq)).toEqual(
      Array.from({ length: 13 }, (_, i) => i + 18),
    );
    expect(other && "reset" in other && other.lastChange).toEqual(
      fingerprintOf(heard[29]?.item ?? at17.item),
    );
    expect(garbled && "reset" in garbled).toBe(true);
    expect(fromMemory).toEqual(fromStorage);
    // One read of the latest window, shared by both resets; the changes came from memory.
    expect(storageSyncs).toBe(1);
  });
});
