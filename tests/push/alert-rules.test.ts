import { describe, expect, it } from "vitest";
import { alertFor, pushTopic } from "../../server/push/alerts";
import type { Change, Item } from "../../shared/item";
import { sampleItem } from "../helpers/items";

function change(kind: Change["kind"], item: Item): Change {
  return { seq: item.seq, kind, item };
}

const breaking = sampleItem("a1", { seq: 1, breaking: true, headline: "Dam breaks", topics: ["world"] });

describe("which change alerts, and what it says", () => {
  it("alerts for a breaking item when it is published, and not for a routine one", () => {
    expect(alertFor(change("created", breaking), [])?.message.kind).toBe("alert");
    expect(alertFor(change("created", sampleItem("r1")), [])).toBeNull();
  });

  it("alerts when an edit makes an item breaking", () => {
    const routine = sampleItem("b1", { seq: 1 });
    const now = { ...routine, seq: 2, version: 2, breaking: true, urgency: 3 };
    expect(alertFor(change("updated", now), [routine])?.message.kind).toBe("alert");
  });

  it("sends nothing for an item that stops being breaking, or an edit that does not change what is shown", () => {
    expect(
      alertFor(change("updated", { ...breaking, seq: 2, breaking: false, urgency: 5 }), [breaking]),
    ).toBeNull();
    expect(alertFor(change("updated", { ...breaking, seq: 2, pinned: true }), [breaking])).toBeNull();
  });

  it("retracts an alert of an item that alerted once, even after it stopped being breaking", () => {
    const downgraded = { ...breaking, seq: 2, breaking: false, urgency: 5 };
    const retracted = { ...downgraded, seq: 3, status: "retracted" as const, retractionReason: "Wrong dam." };
    const alert = alertFor(change("retracted", retracted), [breaking, downgraded]);
    expect(alert?.message).toMatchObject({
      kind: "retraction",
      title: "Retracted: Dam breaks",
      body: "Wrong dam.",
    });
    expect(alert?.urgency).toBe(3);
    expect(
      alertFor(change("retracted", { ...sampleItem("c1"), status: "retracted" }), [sampleItem("c1")]),
    ).toBeNull();
  });

  it("shows a legal kill as Withdrawn, without the retracted text", () => {
    const killed = {
      ...breaking,
      seq: 2,
      status: "retracted" as const,
      withdrawn: true,
      retractionReason: "Court order.",
    };
    expect(alertFor(change("retracted", killed), [breaking])?.message).toMatchObject({
      title: "Retracted: Withdrawn",
      body: "Court order.",
    });
  });

  it("reaches the topics the item had and has, and keeps one Topic per item", () => {
    const moved = { ...breaking, seq: 2, topics: ["sport"], correction: "It was a weir." };
    const alert = alertFor(change("updated", moved), [breaking]);
    expect(alert?.topics.sort()).toEqual(["sport", "world"]);
    expect(alert?.topic).toBe(pushTopic("a1"));
    expect(pushTopic("a1")).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(pushTopic("a2")).not.toBe(pushTopic("a1"));
  });

  it("keeps the body short enough for one push message", () => {
    const long = { ...breaking, summary: "word ".repeat(2000) };
    const body = alertFor(change("created", long), [])?.message.body ?? "";
    expect(body.length).toBeLessThanOrEqual(300);
    expect(body.endsWith("…")).toBe(true);
  });
});

describe("the item's own urgency", () => {
  it("sends a flash to every threshold with Urgency high, an alert to 2 and 3, an urgent item to 3 only", () => {
    const flash = sampleItem("f1", { urgency: 1, breaking: true });
    expect(alertFor(change("created", flash), [])).toMatchObject({ urgency: 1, pushUrgency: "high" });
    expect(alertFor(change("created", sampleItem("f2", { urgency: 2, breaking: true })), [])).toMatchObject({
      urgency: 2,
      pushUrgency: "normal",
    });
    expect(alertFor(change("created", sampleItem("f3", { breaking: true })), [])?.urgency).toBe(3);
  });
});
