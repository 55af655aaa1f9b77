import { describe, expect, it } from "vitest";
import { changeRow, itemColumn } from "../../server/storage/rows";
import { sampleDraft } from "../helpers/items";

/** An item as stored before urgency, verification, key events and sources existed. */
function storedBeforeSignals(breaking: boolean): Record<string, unknown> {
  const {
    urgency: _u,
    verification: _v,
    keyEvent: _k,
    sources: _s,
    ...old
  } = {
    seq: 4,
    ...sampleDraft("old", { breaking }),
  };
  return old;
}

describe("items stored before the editorial signals", () => {
  it("read with the defaults, a breaking one as urgent (3), from SQLite's JSON text and PostgreSQL's JSONB", () => {
    for (const stored of [JSON.stringify(storedBeforeSignals(true)), storedBeforeSignals(true)]) {
      expect(itemColumn.parse(stored)).toMatchObject({
        breaking: true,
        urgency: 3,
        verification: null,
        keyEvent: false,
        sources: [],
      });
    }
    expect(itemColumn.parse(JSON.stringify(storedBeforeSignals(false)))).toMatchObject({
      breaking: false,
      urgency: 5,
    });
    expect(changeRow.parse({ seq: 4, kind: "created", item: storedBeforeSignals(true) }).item.urgency).toBe(
      3,
    );
  });
});
