import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TimelineFollower } from "../../shared/follower";
import { type Change, fingerprintOf } from "../../shared/item";
import { sampleItem } from "../helpers/items";
import { ModelServer } from "../helpers/model-server";

/** A database with `count` created items, headlines naming the database, newest minute last. */
function database(epoch: string, count: number): ModelServer {
  const server = new ModelServer(epoch);
  for (let i = 1; i <= count; i += 1) {
    const minute = String(i % 60).padStart(2, "0");
    const { seq: _seq, ...draft } = sampleItem(`${epoch}-${String(i).padStart(3, "0")}`, {
      headline: `${epoch} story ${i}`,
      publishedAt: `2026-01-01T10:${minute}:00.000Z`,
    });
    server.change("created", draft);
  }
  return server;
}

/** Which server answers: one of this release, one that checks epochs only, or a v1 one. */
type Era = "fingerprints" | "epochs" | "v1";

/** Syncs until the follower is satisfied, as the socket modules do, and returns the requests sent. */
function syncFully(follower: TimelineFollower, server: ModelServer, era: Era = "fingerprints") {
  const requests = [];
  for (let round = 0; round < 5; round += 1) {
    const request = follower.beginSync();
    requests.push(request);
    if (follower.finishSync(server.sync(request, 1000, era)) === "applied") return requests;
  }
  throw new Error("the follower never settled");
}

/** The fingerprint of the server's change at `seq`. */
function changeAt(server: ModelServer, seq: number) {
  const change = server.log[seq - 1];
  if (change === undefined) throw new Error(`no change at seq ${seq}`);
  return fingerprintOf(change.item);
}

describe("a follower across epochs", () => {
  it("remembers the epoch and the last change's fingerprint with the seq and sends them when it syncs again", () => {
    const server = database("epoch-a", 3);
    const follower = new TimelineFollower();
    expect(syncFully(follower, server)).toEqual([{}]);
    expect(follower.view).toMatchObject({ seq: 3, epoch: "epoch-a" });
    server.change("created", sampleItem("late"));
    expect(syncFully(follower, server)).toEqual([
      { since: 3, epoch: "epoch-a", sinceChange: changeAt(server, 3) },
    ]);
    expect(follower.view.seq).toBe(4);
    // From a live change too.
    expect(follower.receive(server.change("created", sampleItem("later")))).toBe("applied");
    expect(follower.beginSync()).toEqual({ since: 5, epoch: "epoch-a", sinceChange: changeAt(server, 5) });
  });

  it("takes the latest window from a server on another database, keeping none of the old items", () => {
    const a = database("epoch-a", 5);
    const follower = new TimelineFollower();
    syncFully(follower, a);
    // The server now runs on another database, further along than the reader's seq 5.
    const b = database("epoch-b", 8);
    syncFully(follower, b);
    expect(follower.view.epoch).toBe("epoch-b");
    expect(follower.view.seq).toBe(8);
    expect(follower.view.items).toEqual(b.view());
  });

  it("applies no changes of another epoch even from a server that does not check it, and starts afresh", () => {
    const follower = new TimelineFollower();
    syncFully(follower, database("epoch-a", 5));
    const b = database("epoch-b", 8);
    const requests = syncFully(follower, b, "v1");
    // The answer to { since: 5 } was changes 6–8 of the other timeline: refused, then a fresh sync.
    expect(requests).toEqual([
      { since: 5, epoch: "epoch-a", sinceChange: changeAt(database("epoch-a", 5), 5) },
      {},
    ]);
    expect(follower.view.items).toEqual(b.view());
    expect(follower.view.epoch).toBe("epoch-b");
  });

  it("drops live changes held during a sync that turned out to be of another epoch", () => {
    const follower = new TimelineFollower();
    const a = database("epoch-a", 2);
    syncFully(follower, a);
    const b = database("epoch-b", 4);
    const request = follower.beginSync();
    const held = b.change("created", sampleItem("b-late", { publishedAt: "2026-01-01T11:00:00.000Z" }));
    expect(follower.receive(held)).toBe("held");
    expect(follower.finishSync(b.sync(request, 1000, "v1"))).toBe("gap");
    syncFully(follower, b);
    expect(follower.view.items).toEqual(b.view());
    expect(follower.view.seq).toBe(5);
  });

  it("takes a view kept from before epochs at its seq, as v1 did, naming its last change from its items, and learns the epoch", () => {
    const server = database("epoch-a", 4);
    const kept = database("epoch-a", 2).view();
    const follower = new TimelineFollower({ seq: 2, items: kept });
    expect(syncFully(follower, server)).toEqual([{ since: 2, sinceChange: changeAt(server, 2) }]);
    expect(follower.view).toMatchObject({ seq: 4, epoch: "epoch-a" });
    expect(follower.view.items).toEqual(server.view());
  });

  it("ends with exactly the new database's items, whatever the two histories", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom<Era>("fingerprints", "epochs", "v1"),
        (before, after, era) => {
          const follower = new TimelineFollower();
          syncFully(follower, database("epoch-a", before));
          const replaced = database("epoch-b", after);
          syncFully(follower, replaced, era);
          expect(follower.view.items).toEqual(replaced.view());
          expect(follower.view).toMatchObject({ seq: after, epoch: "epoch-b" });
        },
      ),
      { numRuns: 200 },
    );
  });
});

/**
 * A database restored from a backup keeps its epoch (nobody renewed it) and gives the seqs of the
 * changes it lost out again. A follower that applied one of those changes must not be patched with
 * the new ones: the server's change at its seq is another one.
 */
describe("a follower across a restored backup", () => {
  /** `count` new items published on the restored database, or the lost ones done again, later. */
  function publishAfterRestore(server: ModelServer, lost: readonly Change[], count: number, redo: boolean) {
    for (let i = 1; i <= count; i += 1) {
      const again = redo ? lost[i - 1] : undefined;
      const { seq: _seq, ...draft } =
        again === undefined
          ? sampleItem(`restored-${String(i).padStart(3, "0")}`, { headline: `New story ${i}` })
          : { ...again.item, headline: `${again.item.headline}, done again` };
      server.change(again?.kind ?? "created", { ...draft, updatedAt: "2026-03-02T09:00:00.000Z" });
    }
  }

  it("takes the latest window when its seq was given out again to another change, keeping none of the lost items", () => {
    const server = database("epoch-a", 8);
    const follower = new TimelineFollower();
    syncFully(follower, server);
    const lost = server.log.slice(5);
    const sinceChange = changeAt(server, 8);
    // Restored from the backup taken at seq 5, then 5 new items: seq 8 is one of them now.
    server.restore(5);
    publishAfterRestore(server, lost, 5, false);
    const request = follower.beginSync();
    expect(request).toEqual({ since: 8, epoch: "epoch-a", sinceChange });
    const answer = server.sync(request, 1000);
    expect("reset" in answer).toBe(true);
    expect(follower.finishSync(answer)).toBe("applied");
    expect(follower.view.items).toEqual(server.view());
    expect(follower.view.items.filter((item) => lost.some((c) => c.item.id === item.id))).toEqual([]);
    expect(follower.view).toMatchObject({ seq: 10, lastChange: changeAt(server, 10) });
  });

  it("tells the lost change from the same edit done again at its seq (same item and version, later)", () => {
    const server = database("epoch-a", 3);
    const edited = server.get("epoch-a-002");
    if (edited === undefined) throw new Error("no item to edit");
    const { seq: _seq, ...draft } = edited;
    server.change("updated", {
      ...draft,
      version: 2,
      headline: "Lost wording",
      updatedAt: "2026-03-01T11:00:00.000Z",
    });
    const follower = new TimelineFollower();
    syncFully(follower, server);
    server.restore(3);
    server.change("updated", {
      ...draft,
      version: 2,
      headline: "New wording",
      updatedAt: "2026-03-01T11:05:00.000Z",
    });
    syncFully(follower, server);
    expect(follower.view.items).toEqual(server.view());
    expect(follower.view.items.map((item) => item.headline)).toContain("New wording");
  });

  it("goes on with the changes when its seq is from before the backup (nothing it holds was lost)", () => {
    const server = database("epoch-a", 3);
    const follower = new TimelineFollower();
    syncFully(follower, server);
    for (let i = 4; i <= 8; i += 1) server.change("created", sampleItem(`epoch-a-00${i}`));
    server.restore(5);
    publishAfterRestore(server, [], 2, false);
    const answer = server.sync(follower.beginSync(), 1000);
    expect("changes" in answer && answer.changes.map((change) => change.seq)).toEqual([4, 5, 6, 7]);
    expect(follower.finishSync(answer)).toBe("applied");
    expect(follower.view.items).toEqual(server.view());
  });

  it("names the change at a reset's seq from the answer, though the window need not hold its item", () => {
    const follower = new TimelineFollower();
    follower.beginSync();
    const lastChange = { itemId: "retracted-long-ago", version: 3, updatedAt: "2026-03-01T12:00:00.000Z" };
    follower.finishSync({
      seq: 7,
      epoch: "epoch-a",
      reset: true,
      items: [sampleItem("a", { seq: 5 })],
      lastChange,
    });
    expect(follower.beginSync()).toEqual({ since: 7, epoch: "epoch-a", sinceChange: lastChange });
  });

  it("ends with exactly the restored database's items and seq, whatever was lost and whatever came after", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 12 }),
        fc.boolean(),
        (kept, lostCount, after, redo) => {
          const server = database("epoch-a", kept + lostCount);
          const follower = new TimelineFollower();
          syncFully(follower, server);
          const lost = server.log.slice(kept);
          server.restore(kept);
          publishAfterRestore(server, lost, after, redo);
          syncFully(follower, server);
          expect(follower.view.items).toEqual(server.view());
          expect(follower.view).toMatchObject({ seq: kept + after, epoch: "epoch-a" });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("a follower fed commit batches (protocol 2)", () => {
  /** Cuts `changes` into consecutive batches at the given points. */
  function batches(changes: readonly Change[], cuts: readonly number[]): Change[][] {
    const points = [...new Set(cuts.map((cut) => cut % (changes.length + 1)))].sort((a, b) => a - b);
    const result: Change[][] = [];
    let from = 0;
    for (const point of [...points, changes.length]) {
      if (point > from) result.push(changes.slice(from, point));
      from = Math.max(from, point);
    }
    return result;
  }

  it("ends where one change per event ends, however the changes are batched, with or without a sync in flight", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.boolean(),
        (count, cuts, midSync) => {
          const server = database("epoch-a", 3);
          const one = new TimelineFollower();
          const batched = new TimelineFollower();
          syncFully(one, server);
          syncFully(batched, server);
          const live = Array.from({ length: count }, (_, i) =>
            server.change("created", sampleItem(`live-${String(i).padStart(3, "0")}`)),
          );
          if (midSync) {
            batched.beginSync();
            one.beginSync();
          }
          for (const change of live) one.receive(change);
          for (const batch of batches(live, cuts)) batched.receiveAll(batch);
          if (midSync) {
            const answer = server.sync({ since: 3, epoch: "epoch-a" }, 1000);
            expect(batched.finishSync(answer)).toBe("applied");
            one.finishSync(answer);
          }
          expect(batched.view).toEqual(one.view);
          expect(batched.view.seq).toBe(3 + count);
        },
      ),
    );
  });

  it("says which changes of a batch it applied, dropped as duplicates or could not apply for a gap", () => {
    const server = database("epoch-a", 2);
    const follower = new TimelineFollower();
    syncFully(follower, server);
    const [third, fourth, fifth] = Array.from({ length: 3 }, (_, i) =>
      server.change("created", sampleItem(`batch-${i}`)),
    );
    if (third === undefined || fourth === undefined || fifth === undefined) throw new Error("no changes");
    expect(follower.receiveAll([third])).toEqual(["applied"]);
    // The batch repeats a change it has and skips one: the gap asks for a sync.
    expect(follower.receiveAll([third, fifth])).toEqual(["duplicate", "gap"]);
    expect(follower.view.seq).toBe(3);
    follower.beginSync();
    expect(follower.receiveAll([fourth, fifth])).toEqual(["held", "held"]);
    expect(follower.finishSync(server.sync({ since: 3, epoch: "epoch-a" }, 1000))).toBe("applied");
    expect(follower.view.seq).toBe(5);
  });
});
