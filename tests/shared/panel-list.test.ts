import { describe, expect, it } from "vitest";
import { type PanelQuery, panelRows } from "../../client/src/admin/panelList";
import { sampleItem } from "../helpers/items";

const everything: PanelQuery = { q: "", topic: null, status: "all" };
const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute)).toISOString();

describe("the panel's rows: server pages with live changes over them", () => {
  const pages = [
    sampleItem("c", { publishedAt: at(30), headline: "Ferry strike" }),
    sampleItem("b", { publishedAt: at(20), headline: "Harbour crane" }),
  ];

  it("shows the newer live version of a row, and a live item within the range read", () => {
    const live = [
      sampleItem("d", { publishedAt: at(40), headline: "New ferry" }),
      sampleItem("b", { publishedAt: at(20), headline: "Harbour crane falls", version: 2 }),
      sampleItem("a", { publishedAt: at(10), headline: "Older, not read yet" }),
    ];
    expect(panelRows(pages, live, everything, false).map((item) => item.headline)).toEqual([
      "New ferry",
      "Ferry strike",
      "Harbour crane falls",
    ]);
    // Once every page is in, nothing older is missing: the live item belongs too.
    expect(panelRows(pages, live, everything, true).map((item) => item.id)).toEqual(["d", "c", "b", "a"]);
  });

  it("never lets an older live version undo a row, and drops a row whose new version no longer matches", () => {
    const newer = [sampleItem("b", { publishedAt: at(20), headline: "Harbour crane falls", version: 3 })];
    const older = [sampleItem("b", { publishedAt: at(20), headline: "Harbour crane", version: 1 })];
    expect(panelRows(newer, older, everything, true)[0]?.headline).toBe("Harbour crane falls");

    const retracted = [sampleItem("b", { publishedAt: at(20), status: "retracted", version: 2 })];
    const published: PanelQuery = { ...everything, status: "published" };
    expect(panelRows(pages, retracted, published, false).map((item) => item.id)).toEqual(["c"]);
    const ferries: PanelQuery = { ...everything, q: "ferr" };
    const renamed = [sampleItem("c", { publishedAt: at(30), headline: "Dock strike", version: 2 })];
    expect(panelRows(pages, renamed, ferries, false)).toEqual([]);
  });

  it("shows nothing before the first page has come, whatever the live timeline holds", () => {
    expect(panelRows([], [sampleItem("x")], everything, false)).toEqual([]);
  });
});
