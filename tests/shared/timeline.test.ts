import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TimelineFollower } from "../../shared/follower";
import type { Change, Item } from "../../shared/item";
import { matchesFilter } from "../../shared/search";
import { applyChange, compareItems, emptyView, mergeItems } from "../../shared/timeline";
import { sampleItem } from "../helpers/items";
import { ModelServer } from "../helpers/model-server";

function item(id: string, publishedAt: string, version = 1, seq = 1): Item {
  return sampleItem(id, { publishedAt, updatedAt: publishedAt, version, seq });
}

describe("timeline order", () => {
  it("puts the newest publishedAt first and breaks ties by id, descending", () => {
    const items = [
      item("a", "2026-01-01T10:00:00.000Z"),
      item("c", "2026-01-01T09:00:00.000Z"),
      item("b", "2026-01-01T10:00:00.000Z"),
    ];
    expect([...items].sort(compareItems).map((i) => i.id)).toEqual(["b", "a", "c"]);
  });

  it("places a late item at its publishedAt, not on top", () => {
    let view = emptyView;
    view = applyChange(view, { seq: 1, kind: "created", item: item("x", "2026-01-01T12:00:00.000Z") }).view;
    view = applyChange(view, {
      seq: 2,
      kind: "created",
      item: item("y", "2026-01-01T08:00:00.000Z", 1, 2),
    }).view;
    view = applyChange(view, {
      seq: 3,
      kind: "created",
      item: item("z", "2026-01-01T10:00:00.000Z", 1, 3),
    }).view;
    expect(view.items.map((i) => i.id)).toEqual(["x", "z", "y"]);
  });

  it("drops a change it has seen and reports a gap instead of skipping ahead", () => {
    const first = applyChange(emptyView, {
      seq: 1,
      kind: "created",
      item: item("a", "2026-01-01T10:00:00.000Z"),
    });
    expect(first.outcome).toBe("applied");
    expect(
      applyChange(first.view, { seq: 1, kind: "created", item: item("a", "2026-01-01T10:00:00.000Z") })
        .outcome,
    ).toBe("duplicate");
    const gap = applyChange(first.view, {
      seq: 3,
      kind: "created",
      item: item("b", "2026-01-01T11:00:00.000Z"),
    });
    expect(gap.outcome).toBe("gap");
    expect(gap.view).toBe(first.view);
  });

  it("never lets an older page of history overwrite a newer version", () => {
    const view = { seq: 5, items: [item("a", "2026-01-01T10:00:00.000Z", 3, 5)] };
    const merged = mergeItems(view, [item("a", "2026-01-01T10:00:00.000Z", 2, 4)]);
    expect(merged.items[0]?.version).toBe(3);
  });
});

const operation = fc.oneof(
  fc.record({ op: fc.constant("create" as const), minute: fc.integer({ min: 0, max: 59 }) }),
  fc.record({ op: fc.constant("edit" as const), pick: fc.nat(), minute: fc.integer({ min: 0, max: 59 }) }),
  fc.record({ op: fc.constant("retract" as const), pick: fc.nat() }),
);

// What the network does to each change on its way to the reader.
const delivery = fc.constantFrom("deliver", "deliver", "deliver", "drop", "duplicate", "disconnect");

describe("a reader following the timeline", () => {
  it("ends with the server's view after any interleaving of changes, losses, duplicates and resyncs", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(operation, delivery), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 20 }),
        (steps, retained) => {
          const server = new ModelServer();
          const reader = new TimelineFollower();
          const appliedSeqs: number[] = [];
          let online = true;
          const sync = () => {
            const request = reader.beginSync();
            if (reader.finishSync(server.sync(request, retained)) === "gap") sync();
          };
          sync();
          let n = 0;
          for (const [op, fate] of steps) {
            let change: Change | undefined;
            const ids = server.ids();
            if (op.op === "create") {
              n += 1;
              change = server.change("created", {
                ...item(
                  `item-${String(n).padStart(3, "0")}`,
                  `2026-01-01T10:${String(op.minute).padStart(2, "0")}:00.000Z`,
                ),
              });
            } else {
              const current = server.get(ids[op.pick % Math.max(ids.length, 1)] ?? "");
              if (current === undefined || current.status === "retracted") continue;
              const { seq: _seq, ...rest } = current;
              change =
                op.op === "edit"
                  ? server.change("updated", {
                      ...rest,
                      version: current.version + 1,
                      headline: `${current.headline}!`,
                      publishedAt: `2026-01-01T11:${String(op.minute).padStart(2, "0")}:00.000Z`,
                    })
                  : server.change("retracted", {
                      ...rest,
                      version: current.version + 1,
                      status: "retracted",
                      retractionReason: "wrong",
                    });
            }
            if (fate === "disconnect") online = false;
            if (!online) {
              if (fate === "deliver") {
                online = true;
                sync();
              }
              continue;
            }
            const deliveries = fate === "drop" ? 0 : fate === "duplicate" ? 2 : 1;
            for (let i = 0; i < deliveries; i += 1) {
              const outcome = reader.receive(change);
              if (outcome === "applied") appliedSeqs.push(change.seq);
              if (outcome === "gap") sync();
            }
          }
          if (!online || reader.view.seq < server.log.length) sync();

          expect(reader.view.seq).toBe(server.log.length);
          expect(reader.view.items).toEqual(server.view());
          // Live changes were applied at most once each, in increasing seq order.
          expect(appliedSeqs).toEqual([...new Set(appliedSeqs)].sort((a, b) => a - b));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("holds live changes during a sync and applies them after its answer, once", () => {
    const server = new ModelServer();
    const reader = new TimelineFollower();
    server.change("created", item("a", "2026-01-01T10:00:00.000Z"));
    const request = reader.beginSync();
    const answer = server.sync(request, 10);
    const late = server.change("created", item("b", "2026-01-01T10:01:00.000Z"));
    expect(reader.receive(late)).toBe("held");
    expect(reader.finishSync(answer)).toBe("applied");
    expect(reader.view.items.map((i) => i.id)).toEqual(["b", "a"]);
    expect(reader.view.seq).toBe(2);
  });
});

describe("matching a filter like the server's search", () => {
  const storm = {
    ...item("s", "2026-01-01T10:00:00.000Z"),
    headline: "Storm hits the Côte",
    summary: "Ferries stop",
    topics: ["weather"],
  };

  it("matches any of the topics and every word of the query as a prefix, ignoring case and accents", () => {
    expect(matchesFilter(storm, { topics: [], q: "" })).toBe(true);
    expect(matchesFilter(storm, { topics: ["sport", "weather"], q: "" })).toBe(true);
    expect(matchesFilter(storm, { topics: ["sport"], q: "" })).toBe(false);
    expect(matchesFilter(storm, { topics: [], q: "STOR cote ferr" })).toBe(true);
    expect(matchesFilter(storm, { topics: [], q: "storm rain" })).toBe(false);
    expect(matchesFilter(storm, { topics: [], q: "orm" })).toBe(false);
  });
});
