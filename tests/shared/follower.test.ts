import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TimelineFollower } from "../../shared/follower";
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

/** Syncs until the follower is satisfied, as the socket modules do, and returns the requests sent. */
function syncFully(follower: TimelineFollower, server: ModelServer, checkEpoch = true) {
  const requests = [];
  for (let round = 0; round < 5; round += 1) {
    const request = follower.beginSync();
    requests.push(request);
    if (follower.finishSync(server.sync(request, 1000, checkEpoch)) === "applied") return requests;
  }
  throw new Error("the follower never settled");
}

describe("a follower across epochs", () => {
  it("remembers the epoch with the seq and sends both when it syncs again", () => {
    const server = database("epoch-a", 3);
    const follower = new TimelineFollower();
    expect(syncFully(follower, server)).toEqual([{}]);
    expect(follower.view).toMatchObject({ seq: 3, epoch: "epoch-a" });
    server.change("created", sampleItem("late"));
    expect(syncFully(follower, server)).toEqual([{ since: 3, epoch: "epoch-a" }]);
    expect(follower.view.seq).toBe(4);
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
    const requests = syncFully(follower, b, false);
    // The answer to { since: 5 } was changes 6–8 of the other timeline: refused, then a fresh sync.
    expect(requests).toEqual([{ since: 5, epoch: "epoch-a" }, {}]);
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
    expect(follower.finishSync(b.sync(request, 1000, false))).toBe("gap");
    syncFully(follower, b);
    expect(follower.view.items).toEqual(b.view());
    expect(follower.view.seq).toBe(5);
  });

  it("takes a view kept from before epochs at its seq, as v1 did, and learns the epoch", () => {
    const server = database("epoch-a", 4);
    const kept = database("epoch-a", 2).view();
    const follower = new TimelineFollower({ seq: 2, items: kept });
    expect(syncFully(follower, server)).toEqual([{ since: 2 }]);
    expect(follower.view).toMatchObject({ seq: 4, epoch: "epoch-a" });
    expect(follower.view.items).toEqual(server.view());
  });

  it("ends with exactly the new database's items, whatever the two histories", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        (before, after, checkEpoch) => {
          const follower = new TimelineFollower();
          syncFully(follower, database("epoch-a", before));
          const replaced = database("epoch-b", after);
          syncFully(follower, replaced, checkEpoch);
          expect(follower.view.items).toEqual(replaced.view());
          expect(follower.view).toMatchObject({ seq: after, epoch: "epoch-b" });
        },
      ),
      { numRuns: 200 },
    );
  });
});
