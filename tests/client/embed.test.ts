import { describe, expect, it } from "vitest";
import { embedItems } from "../../client/src/embed/select";
import { sampleItem } from "../helpers/items";

describe("what an embed shows", () => {
  const items = [
    sampleItem("6", { topics: ["world"], breaking: true }),
    sampleItem("5", { topics: ["sport"], breaking: true }),
    sampleItem("4", { topics: ["world"], breaking: true, status: "retracted" }),
    sampleItem("3", { topics: ["world"], breaking: false }),
    sampleItem("2", { topics: ["politics", "world"], breaking: true }),
    sampleItem("1", { topics: ["world"], breaking: true }),
  ];
  const base = { topics: ["world"], limit: 10, theme: "auto", compact: false } as const;

  it("the ticker: published breaking items of its topics, newest first, up to its limit", () => {
    const shown = (limit: number) => embedItems(items, { ...base, kind: "ticker", limit, topics: ["world"] });
    expect(shown(10).map((item) => item.id)).toEqual(["6", "2", "1"]);
    expect(shown(2).map((item) => item.id)).toEqual(["6", "2"]);
  });

  it("the feed: every published item of its topics; no topics means all", () => {
    expect(embedItems(items, { ...base, kind: "feed", topics: ["world"] }).map((item) => item.id)).toEqual([
      "6",
      "3",
      "2",
      "1",
    ]);
    expect(embedItems(items, { ...base, kind: "feed", topics: [] }).map((item) => item.id)).toEqual([
      "6",
      "5",
      "3",
      "2",
      "1",
    ]);
  });
});
