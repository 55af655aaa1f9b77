import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { publicChange, publicItem, publicSync } from "../../server/timeline/public";
import type { Change, ChangeKind, Item } from "../../shared/item";
import { applyChange, applySync, compareItems, emptyView } from "../../shared/timeline";
import { sampleItem } from "../helpers/items";

const operation = fc.oneof(
  fc.record({ op: fc.constant("create" as const) }),
  fc.record({ op: fc.constant("edit" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("retract" as const), pick: fc.nat(), withdraw: fc.boolean() }),
);

/** Every text of an item version that a retraction (or a legal kill) takes back. */
function texts(item: Item): string[] {
  return [item.summary, item.url ?? "", item.correction ?? ""].filter((text) => text !== "");
}

describe("the public view of the timeline", () => {
  it("brings a reader syncing from any seq to the public view of every item, never to a retracted text", () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 40 }), fc.nat(), (operations, pickSince) => {
        const items = new Map<string, Item>();
        const log: Change[] = [];
        const record = (kind: ChangeKind, item: Item) => {
          const stamped = { ...item, seq: log.length + 1 };
          items.set(item.id, stamped);
          log.push({ seq: stamped.seq, kind, item: stamped });
        };
        for (const step of operations) {
          const ids = [...items.keys()];
          if (step.op === "create") {
            const id = `item-${String(ids.length).padStart(3, "0")}`;
            record(
              "created",
              sampleItem(id, {
                headline: `Headline ${id} v1`,
                summary: `Summary ${id} v1`,
                url: `https://e.org/${id}`,
              }),
            );
            continue;
          }
          const current = items.get(ids[step.pick % Math.max(ids.length, 1)] ?? "");
          if (current === undefined || current.status === "retracted") continue;
          const version = current.version + 1;
          if (step.op === "edit") {
            record("updated", {
              ...current,
              version,
              headline: `Headline ${current.id} v${version}`,
              summary: `Summary ${current.id} v${version}`,
              correction: `Correction ${current.id} v${version}`,
            });
          } else {
            record("retracted", {
              ...current,
              version,
              status: "retracted",
              retractionReason: "Wrong.",
              ...(step.withdraw ? { withdrawn: true } : {}),
            });
          }
        }

        // A reader that followed live up to `since`, then catches up with one sync answer.
        const since = pickSince % (log.length + 1);
        let view = emptyView;
        for (const change of log.slice(0, since)) view = applyChange(view, publicChange(change)).view;
        const answer = publicSync({ seq: log.length, epoch: "epoch", changes: log.slice(since) });
        view = applySync(view, answer);
        const expected = [...items.values()].map(publicItem).sort(compareItems);
        expect(view.items).toEqual(expected);

        // A newcomer's reset window is the same public view.
        expect(
          applySync(
            emptyView,
            publicSync({ seq: log.length, epoch: "epoch", reset: true, items: [...items.values()] }),
          ).items,
        ).toEqual(expected);

        // Nothing an item retracted by now ever carried is in the catch-up answer, once its retraction is in it.
        const sent = JSON.stringify(answer);
        for (const item of items.values()) {
          if (item.status !== "retracted" || item.seq <= since) continue;
          const hidden = log
            .filter((change) => change.item.id === item.id)
            .flatMap((change) => texts(change.item));
          for (const text of hidden) expect(sent).not.toContain(text);
          if (item.withdrawn === true) expect(sent).not.toContain(`Headline ${item.id} `);
        }
      }),
    );
  });
});
