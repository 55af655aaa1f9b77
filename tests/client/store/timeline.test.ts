import { describe, expect, it } from "vitest";
import { createDeskStore, type DeskStoreOptions } from "../../../client/src/store";
import type { Change, Item } from "../../../shared/item";
import { sampleItem } from "../../helpers/items";

/** An item published at minute `minute` past ten, written by the change at `seq`. */
function item(id: string, minute: number, seq: number, fields: Partial<Item> = {}): Item {
  const at = `2026-03-01T10:${String(minute).padStart(2, "0")}:00.000Z`;
  return sampleItem(id, { publishedAt: at, updatedAt: at, seq, ...fields });
}

function created(seq: number, id: string, minute: number, fields: Partial<Item> = {}): Change {
  return { seq, kind: "created", item: item(id, minute, seq, fields) };
}

const EPOCH = "e1";

/** A store whose first sync has answered with items a (seq 1) and b (seq 2): the reader's page is painted. */
function paintedStore(options: DeskStoreOptions = {}) {
  const store = createDeskStore(options);
  store.getState().beginSync();
  store.getState().finishSync({ seq: 2, epoch: EPOCH, changes: [created(1, "a", 1), created(2, "b", 2)] });
  return store;
}

const ids = (items: readonly Item[]) => items.map((i) => i.id);

describe("the timeline slice", () => {
  it("starts from the view it is given and asks to sync from its seq and epoch", () => {
    const view = { seq: 7, epoch: EPOCH, items: [item("x", 1, 7)] };
    const store = createDeskStore({ view });
    expect(store.getState().view).toBe(view);
    expect(store.getState().synced).toBe(false);
    expect(store.getState().beginSync()).toMatchObject({ since: 7, epoch: EPOCH });
  });

  it("paints the first sync answer without counting it as news", () => {
    const store = createDeskStore({ isHidden: () => true });
    store.getState().beginSync();
    const outcome = store.getState().finishSync({
      seq: 2,
      epoch: EPOCH,
      changes: [created(1, "a", 1, { breaking: true }), created(2, "b", 2)],
    });
    const state = store.getState();
    expect(outcome).toBe("applied");
    expect(state.synced).toBe(true);
    expect(ids(state.view.items)).toEqual(["b", "a"]);
    expect(state.unseenCount).toBe(0);
    expect(state.announcements).toEqual([]);
  });

  it("holds what came since the browser's copy behind the button for a reader put back down the feed", () => {
    const view = { seq: 2, epoch: EPOCH, items: [item("b", 2, 2), item("a", 1, 1)] };
    const store = createDeskStore({ view, isHidden: () => true });
    store.getState().setReaderAway(true);
    store.getState().beginSync();
    store.getState().finishSync({
      seq: 4,
      epoch: EPOCH,
      changes: [created(3, "c", 3, { breaking: true }), created(4, "d", 4)],
    });
    const state = store.getState();
    expect(ids(state.view.items)).toEqual(["d", "c", "b", "a"]);
    expect(state.pendingIds).toEqual(["c", "d"]);
    // Still a first paint: nothing read out or counted for the title.
    expect(state.announcements).toEqual([]);
    expect(state.unseenCount).toBe(0);
  });

  it("puts live items in the feed and stamps the time of the last update", () => {
    let now = 1_000;
    const store = paintedStore({ now: () => now });
    now = 5_000;
    expect(store.getState().receiveChanges([created(3, "c", 3)])).toBe(false);
    expect(ids(store.getState().view.items)).toEqual(["c", "b", "a"]);
    expect(store.getState().view.seq).toBe(3);
    expect(store.getState().lastUpdateAt).toBe(5_000);
  });

  it("says so when a live change shows that one was missed", () => {
    const store = paintedStore();
    expect(store.getState().receiveChanges([created(5, "e", 5)])).toBe(true);
    expect(store.getState().view.seq).toBe(2);
  });

  it("holds new items behind the button while the reader is scrolled down, and shows them on return", () => {
    const store = paintedStore();
    store.getState().setReaderAway(true);
    store.getState().receiveChanges([created(3, "c", 3), created(4, "d", 4)]);
    expect(store.getState().pendingIds).toEqual(["c", "d"]);
    store.getState().setReaderAway(false);
    expect(store.getState().pendingIds).toEqual([]);

    store.getState().setReaderAway(true);
    store.getState().receiveChanges([created(5, "e", 5)]);
    store.getState().revealPending();
    expect(store.getState().pendingIds).toEqual([]);
    expect(store.getState().readerAway).toBe(true);
  });

  it("counts new items for the title only while the tab is hidden, until the reader looks", () => {
    let hidden = false;
    const store = paintedStore({ isHidden: () => hidden });
    store.getState().receiveChanges([created(3, "c", 3)]);
    expect(store.getState().unseenCount).toBe(0);
    hidden = true;
    store.getState().receiveChanges([created(4, "d", 4), created(5, "e", 5)]);
    expect(store.getState().unseenCount).toBe(2);
    store.getState().markSeen();
    expect(store.getState().unseenCount).toBe(0);
  });

  it("queues breaking headlines for the screen reader, handed out once", () => {
    const store = paintedStore();
    store
      .getState()
      .receiveChanges([
        created(3, "c", 3, { breaking: true, headline: "Dam breaks upstream" }),
        created(4, "d", 4),
      ]);
    expect(store.getState().takeAnnouncements()).toEqual(["Dam breaks upstream"]);
    expect(store.getState().takeAnnouncements()).toEqual([]);
  });

  it("leaves items outside the reader's filter uncounted and unannounced", () => {
    const store = paintedStore({ search: "?topic=sport", isHidden: () => true });
    store.getState().receiveChanges([created(3, "c", 3, { breaking: true, topics: ["world"] })]);
    expect(ids(store.getState().view.items)).toContain("c");
    expect(store.getState().unseenCount).toBe(0);
    expect(store.getState().announcements).toEqual([]);
  });

  it("treats items created while a sync runs, and those its answer brings, as arrivals", () => {
    const store = paintedStore({ isHidden: () => true });
    store.getState().beginSync();
    store.getState().receiveChanges([created(4, "d", 4, { breaking: true, headline: "Held" })]);
    expect(ids(store.getState().view.items)).not.toContain("d");
    store.getState().finishSync({ seq: 3, epoch: EPOCH, changes: [created(3, "c", 3)] });
    expect(ids(store.getState().view.items)).toEqual(["d", "c", "b", "a"]);
    expect(store.getState().unseenCount).toBe(2);
    expect(store.getState().announcements).toEqual(["Held"]);
  });

  it("drops what was held when a sync is abandoned, so the next sync brings it", () => {
    const store = paintedStore();
    store.getState().beginSync();
    store.getState().receiveChanges([created(3, "c", 3)]);
    store.getState().abortSync();
    expect(store.getState().beginSync()).toMatchObject({ since: 2 });
    store.getState().finishSync({ seq: 3, epoch: EPOCH, changes: [created(3, "c", 3)] });
    expect(ids(store.getState().view.items)).toEqual(["c", "b", "a"]);
  });

  it("replaces the view on a reset and counts the items it did not hold", () => {
    const store = paintedStore({ isHidden: () => true });
    store.getState().beginSync();
    store.getState().finishSync({
      seq: 9,
      epoch: "e2",
      reset: true,
      items: [item("z", 9, 9), item("b", 2, 2)],
    });
    expect(ids(store.getState().view.items)).toEqual(["z", "b"]);
    expect(store.getState().view.epoch).toBe("e2");
    expect(store.getState().unseenCount).toBe(1);
  });

  it("adds older pages read over HTTP without counting them as news", () => {
    const store = paintedStore({ isHidden: () => true });
    store.getState().mergeItems([item("old", 0, 1)]);
    expect(ids(store.getState().view.items)).toEqual(["b", "a", "old"]);
    expect(store.getState().unseenCount).toBe(0);
  });

  it("keeps each store's timeline to itself", () => {
    const first = paintedStore();
    const second = paintedStore();
    first.getState().receiveChanges([created(3, "c", 3)]);
    expect(ids(first.getState().view.items)).toEqual(["c", "b", "a"]);
    expect(ids(second.getState().view.items)).toEqual(["b", "a"]);
    // The second store's follower is still at seq 2: seq 3 is the next change for it, not a duplicate.
    expect(second.getState().receiveChanges([created(3, "other", 3)])).toBe(false);
    expect(ids(second.getState().view.items)).toEqual(["other", "b", "a"]);
  });
});
