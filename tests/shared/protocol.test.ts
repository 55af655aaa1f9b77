import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { protocolOf } from "../../shared/events";

describe("the protocol a handshake gets", () => {
  it("is 2 for a whole number of 2 or more, and 1 for anything else a client can send", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, nested) => {
        // Whatever else the handshake says (a surface the server cannot read, say).
        const auth = nested ? { surface: value, protocol: value } : value;
        const asked = nested ? value : undefined;
        const expected = typeof asked === "number" && Number.isInteger(asked) && asked >= 2 ? 2 : 1;
        expect(protocolOf(auth)).toBe(expected);
      }),
    );
    expect([undefined, {}, { protocol: 1 }, { protocol: "2" }, { protocol: 2.5 }].map(protocolOf)).toEqual([
      1, 1, 1, 1, 1,
    ]);
    expect(
      [{ protocol: 2 }, { protocol: 3 }, { surface: "panel", protocol: 2 }, { surface: 42, protocol: 2 }].map(
        protocolOf,
      ),
    ).toEqual([2, 2, 2, 2]);
  });
});
