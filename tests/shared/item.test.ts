import { describe, expect, it } from "vitest";
import { itemSchema } from "../../shared/item";
import { sampleItem } from "../helpers/items";

describe("itemSchema", () => {
  it("reads an item stored before contentUpdatedAt existed as never updated", () => {
    const { contentUpdatedAt: _, ...older } = sampleItem("old", { version: 3 });
    expect(itemSchema.parse(older).contentUpdatedAt).toBeNull();
  });
});
