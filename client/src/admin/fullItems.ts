import { useEffect, useState } from "react";
import { z } from "zod";
import { type Item, itemSchema } from "../../../shared/item";
import { type OperatorCall, useOperatorCall } from "./api";

/*
 * The public timeline (socket, `GET /api/items`) shows a retracted item as its tombstone, the
 * panel's live list included. An operator still needs to see what was retracted: the panel reads
 * it with its session from the same API, asking for `?view=full`. These full items stay here, out
 * of the shared store, so a reader's page in the same tab never shows them.
 */

/** Full retracted items by id; a retracted item changes no more, so one read is enough. */
const known = new Map<string, Item>();
const asked = new Set<string>();

export function fetchFullItem(operatorCall: OperatorCall, id: string): Promise<Item> {
  return operatorCall("GET", `/api/items/${encodeURIComponent(id)}?view=full`, itemSchema);
}

export async function fetchFullRevisions(operatorCall: OperatorCall, id: string): Promise<Item[]> {
  const answer = await operatorCall(
    "GET",
    `/api/items/${encodeURIComponent(id)}/revisions?view=full`,
    z.object({ revisions: z.array(itemSchema) }),
  );
  return answer.revisions;
}

/** `items` with each retracted one replaced by everything stored about it, once that is read. */
export function useFullItems(items: readonly Item[]): Item[] {
  const [, setRead] = useState(0);
  const operatorCall = useOperatorCall();
  const missing = items.filter((item) => item.status === "retracted" && !known.has(item.id));
  const key = missing.map((item) => item.id).join(",");

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names exactly the items to read
  useEffect(() => {
    for (const item of missing) {
      if (asked.has(item.id)) continue;
      asked.add(item.id);
      fetchFullItem(operatorCall, item.id).then(
        (full) => {
          known.set(full.id, full);
          setRead((n) => n + 1);
        },
        // Not kept as asked: the next render tries again (after a new login, say).
        () => asked.delete(item.id),
      );
    }
  }, [key]);

  // A hundred rows at most: mapped on each render, which also picks up a full item just read.
  return items.map((item) => {
    const full = item.status === "retracted" ? known.get(item.id) : undefined;
    return full !== undefined && full.version >= item.version ? full : item;
  });
}
