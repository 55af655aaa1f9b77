import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFeed } from "../../server/feeds/latest";
import { SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";
import type { ItemQuery, Storage } from "../../server/storage/storage";
import type { Item } from "../../shared/item";
import { sampleDraft } from "../helpers/items";
import { tempDir } from "../helpers/server";

let dir: string;
let storage: SqliteStorage;
beforeEach(() => {
  dir = tempDir();
  storage = SqliteStorage.open(path.join(dir, "livedesk.db"));
});
afterEach(async () => {
  await storage.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let edits = 0;
/** Commits one more version of item `a`, as another editor would while a feed is being read. */
async function editMeanwhile(): Promise<void> {
  edits += 1;
  const result = await storage.commit({
    itemId: "a",
    decide: (current) => {
      if (current === null) return { ok: false, refusal: { code: "not_found" } };
      const { seq: _seq, ...rest } = current;
      return {
        ok: true,
        kind: "updated",
        item: { ...rest, headline: `Edit ${edits}`, version: current.version + 1 },
      };
    },
  });
  expect(result.status).toBe("committed");
}

/** The real storage, with a commit slipped in before the items are read `times` times. */
function racedBy(times: number): Pick<Storage, "latestSeq" | "listItems"> {
  let left = times;
  return {
    latestSeq: () => storage.latestSeq(),
    listItems: async (query: ItemQuery): Promise<Item[]> => {
      if (left > 0) {
        left -= 1;
        await editMeanwhile();
      }
      return storage.listItems(query);
    },
  };
}

describe("readFeed", () => {
  beforeEach(async () => {
    await storage.commit({
      itemId: "a",
      decide: () => ({ ok: true, kind: "created", item: sampleDraft("a") }),
    });
  });

  it("reads again when a change lands between the seq and the items, so one ETag names one document", async () => {
    const read = await readFeed(racedBy(1), { topics: [], q: undefined });
    expect(read.seq).toBe(2);
    expect(read.items.map((item) => [item.headline, item.seq])).toEqual([["Edit 1", 2]]);
  });

  it("gives no seq (no ETag) when writers keep racing it", async () => {
    const read = await readFeed(racedBy(10), { topics: [], q: undefined });
    expect(read.seq).toBeNull();
    expect(read.items).toHaveLength(1);
  });
});
