import { describe, expect, it } from "vitest";
import { arrivalEffects, syncArrivals } from "../../client/src/store/arrivals";
import type { Change, Item } from "../../shared/item";
import { applySync, type TimelineView } from "../../shared/timeline";
import { sampleItem } from "../helpers/items";

/** An item published at minute `minute` past ten, with the seq of its latest change. */
function item(id: string, minute: number, seq: number, fields: Partial<Item> = {}): Item {
  const at = `2026-03-01T10:${String(minute).padStart(2, "0")}:00.000Z`;
  return sampleItem(id, { publishedAt: at, updatedAt: at, seq, ...fields });
}

const before: TimelineView = { seq: 2, items: [item("b", 2, 2), item("a", 1, 1)] };

describe("what a sync brings", () => {
  it("counts items created while the reader was away, in the order they were published", () => {
    const changes: Change[] = [
      { seq: 3, kind: "created", item: item("c", 3, 3) },
      { seq: 4, kind: "created", item: item("d", 4, 4) },
    ];
    const after = applySync(before, { seq: 4, epoch: "e1", changes });
    expect(syncArrivals(before, after, changes, false).map((i) => i.id)).toEqual(["c", "d"]);
  });

  it("leaves out an old item that was only edited, and one created and retracted meanwhile", () => {
    const changes: Change[] = [
      { seq: 3, kind: "updated", item: item("old", 0, 3, { version: 2 }) },
      { seq: 4, kind: "created", item: item("c", 3, 4) },
      { seq: 5, kind: "retracted", item: item("c", 3, 5, { version: 2, status: "retracted" }) },
    ];
    const after = applySync(before, { seq: 5, epoch: "e1", changes });
    expect(syncArrivals(before, after, changes, false)).toEqual([]);
  });

  it("counts creations held while the sync ran, once, and for a reset the items the view did not hold", () => {
    const held: Change[] = [{ seq: 4, kind: "created", item: item("d", 4, 4) }];
    const answer: Change[] = [{ seq: 3, kind: "created", item: item("c", 3, 3) }, ...held];
    const after = applySync(before, { seq: 4, epoch: "e1", changes: answer });
    expect(syncArrivals(before, after, [...answer, ...held], false).map((i) => i.id)).toEqual(["c", "d"]);

    const reset = applySync(before, {
      seq: 9,
      epoch: "e1",
      reset: true,
      items: [item("e", 5, 9), item("b", 2, 2)],
    });
    expect(syncArrivals(before, reset, [], true).map((i) => i.id)).toEqual(["e"]);
  });
});

describe("how arrivals show", () => {
  const storm = item("storm", 5, 3, { topics: ["weather"], breaking: true, headline: "Storm warning" });
  const final = item("final", 6, 4, { topics: ["sport"], breaking: true, headline: "Cup final" });
  const late = item("late", 0, 5, { topics: ["sport"] });

  it("counts and reads out only what the reader's filter shows", () => {
    const effects = arrivalEffects([storm, final], {
      before,
      filter: { topics: ["sport"], q: "" },
      readerAway: false,
      hidden: true,
    });
    expect(effects).toEqual({ pending: [], unseen: 1, announcements: ["Cup final"], flashes: [] });
  });

  it("reads a flash out on its own, to interrupt, and other breaking items politely", () => {
    const flash = item("flash", 7, 6, { breaking: true, urgency: 1, headline: "Dam breaks" });
    const effects = arrivalEffects([storm, flash], {
      before,
      filter: { topics: [], q: "" },
      readerAway: false,
      hidden: false,
    });
    expect(effects).toMatchObject({ announcements: ["Storm warning"], flashes: ["Dam breaks"] });
  });

  it("holds back, for a reader scrolled down, only items that land above what they look at", () => {
    const sportView: TimelineView = { seq: 2, items: [item("match", 3, 2, { topics: ["sport"] })] };
    const effects = arrivalEffects([final, late], {
      before: sportView,
      filter: { topics: [], q: "" },
      readerAway: true,
      hidden: false,
    });
    expect(effects.pending).toEqual(["final"]);
  });
});
