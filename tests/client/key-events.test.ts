import { describe, expect, it } from "vitest";
import { listedKeyEvents } from "../../client/src/useKeyEvents";
import type { Item } from "../../shared/item";
import { sampleItem } from "../helpers/items";

/** A key event published at minute `minute` past ten. */
function keyEvent(id: string, minute: number, fields: Partial<Item> = {}): Item {
  const at = `2026-03-01T10:${String(minute).padStart(2, "0")}:00.000Z`;
  return sampleItem(id, { publishedAt: at, updatedAt: at, keyEvent: true, ...fields });
}

const everything = { topics: [], q: "" };
const ids = (items: readonly Item[]) => items.map((item) => item.id);

describe("what the Key events navigation lists", () => {
  it("takes each item's newest version, from the loaded pages or the live view: unmarked or retracted ones go", () => {
    const loaded = { items: [keyEvent("c", 30), keyEvent("b", 20), keyEvent("a", 10)], cursor: null };
    const view = [
      keyEvent("new", 40),
      keyEvent("c", 30, { version: 2, keyEvent: false }),
      keyEvent("b", 20, { version: 2, status: "retracted" }),
      sampleItem("plain"),
    ];
    expect(ids(listedKeyEvents(loaded, view, everything))).toEqual(["new", "a"]);
    // An older version in the view (a page read after the change) does not undo the newer one.
    expect(ids(listedKeyEvents(loaded, [keyEvent("a", 10, { version: 0 })], everything))).toEqual([
      "c",
      "b",
      "a",
    ]);
  });

  it("lists nothing below the last one loaded while the server holds more, so the list never skips one", () => {
    const loaded = { items: [keyEvent("c", 30), keyEvent("b", 20)], cursor: "more" };
    // An old item marked live: the server has key events between it and b that the page has not loaded.
    const view = [keyEvent("old", 5, { version: 2 })];
    expect(ids(listedKeyEvents(loaded, view, everything))).toEqual(["c", "b"]);
    expect(ids(listedKeyEvents({ ...loaded, cursor: null }, view, everything))).toEqual(["c", "b", "old"]);
  });

  it("keeps to the reader's filter, as the server's pages do", () => {
    const loaded = { items: [keyEvent("w", 30, { topics: ["world"] })], cursor: null };
    const view = [keyEvent("s", 40, { topics: ["sport"], headline: "Cup final" })];
    expect(ids(listedKeyEvents(loaded, view, { topics: ["world"], q: "" }))).toEqual(["w"]);
    expect(ids(listedKeyEvents(loaded, view, { topics: [], q: "cup" }))).toEqual(["s"]);
  });
});
