import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type AdminAuditLine,
  type AuditPosition,
  type AuditQuery,
  type Decision,
  type ItemDraft,
  LASTING_KEYS_PRINCIPAL,
  type OperatorChange,
  type Storage,
} from "../../server/storage/storage";
import type { Item } from "../../shared/item";
import { matchesFilter } from "../../shared/search";
import { sampleDraft as draft } from "../helpers/items";

const create =
  (next: ItemDraft) =>
  (current: Item | null): Decision =>
    current === null
      ? { ok: true, kind: "created", item: next }
      : { ok: false, refusal: { code: "version_conflict", current } };

const bump =
  (fields: Partial<ItemDraft>) =>
  (current: Item | null): Decision => {
    if (current === null) return { ok: false, refusal: { code: "not_found" } };
    const { seq: _seq, ...rest } = current;
    return { ok: true, kind: "updated", item: { ...rest, ...fields, version: current.version + 1 } };
  };

/** The audit line of an admin change in these tests. */
const line = (target: string, detail = ""): AdminAuditLine => ({
  at: "2026-03-01T09:00:00.000Z",
  actor: "admin",
  target,
  detail,
});

/**
 * A storage opened for one test: `reopen` closes it and opens the same database again, as a
 * restart does. `tamper` writes straight into its database, around the storage, for the faults
 * some cases need.
 */
export interface OpenedStorage {
  storage: Storage;
  reopen: () => Promise<Storage>;
  dispose: () => Promise<void>;
  tamper: {
    /** Removes an item's row, as someone with the database at hand might. */
    dropItem: (id: string) => Promise<void>;
    /** From now on, every insert into the audit table fails. */
    failAuditWrites: () => Promise<void>;
  };
}

/**
 * What every storage must do. Each backend's test file calls this with a function that opens a
 * fresh, empty storage, and gives a way to reopen it and one to throw it away.
 */
export function storageContract(name: string, open: () => Promise<OpenedStorage>): void {
  describe(`storage contract: ${name}`, () => {
    let storage: Storage;
    let reopen: () => Promise<Storage>;
    let dispose: () => Promise<void>;
    let tamper: OpenedStorage["tamper"];

    beforeEach(async () => {
      ({ storage, reopen, dispose, tamper } = await open());
    });
    afterEach(async () => {
      await dispose();
    });

    async function commitNew(id: string, fields: Partial<ItemDraft> = {}): Promise<Item> {
      const result = await storage.commit({ itemId: id, decide: create(draft(id, fields)) });
      if (result.status !== "committed") throw new Error(`commit of ${id} was ${result.status}`);
      return result.change.item;
    }

    it("gives each committed change the next seq and keeps every version as a revision", async () => {
      expect(await storage.latestSeq()).toBe(0);
      const a = await commitNew("a");
      const b = await commitNew("b");
      const edited = await storage.commit({ itemId: "a", decide: bump({ headline: "Edited" }) });
      expect([a.seq, b.seq]).toEqual([1, 2]);
      expect(edited).toMatchObject({ status: "committed", change: { seq: 3, kind: "updated" } });
      expect(await storage.latestSeq()).toBe(3);
      expect(await storage.getItem("a")).toMatchObject({ seq: 3, version: 2, headline: "Edited" });
      expect((await storage.listRevisions("a")).map((r) => [r.version, r.headline])).toEqual([
        [1, "Headline a"],
        [2, "Edited"],
      ]);
      expect(await storage.listRevisions("missing")).toEqual([]);
      expect((await storage.changesSince(1, 10)).map((c) => [c.seq, c.kind, c.item.id])).toEqual([
        [2, "created", "b"],
        [3, "updated", "a"],
      ]);
      expect((await storage.changesSince(0, 2)).map((c) => c.seq)).toEqual([1, 2]);
    });

    it("keeps the epoch it was created with across reopening, and a new storage draws another", async () => {
      const epoch = await storage.epoch();
      expect(epoch).toMatch(/^[0-9a-f]{32}$/);
      await commitNew("a");
      storage = await reopen();
      expect(await storage.epoch()).toBe(epoch);
      expect(await storage.latestSeq()).toBe(1);
      const other = await open();
      try {
        expect(await other.storage.epoch()).not.toBe(epoch);
      } finally {
        await other.dispose();
      }
    });

    it("renews the epoch on request (a restored backup) and keeps the new one across reopening", async () => {
      const first = await storage.epoch();
      const renewed = await storage.renewEpoch();
      expect(renewed).toMatch(/^[0-9a-f]{32}$/);
      expect(renewed).not.toBe(first);
      expect(await storage.epoch()).toBe(renewed);
      storage = await reopen();
      expect(await storage.epoch()).toBe(renewed);
    });

    it("keeps an item's urgency, verification, key event and sources on the item, its revisions and changes", async () => {
      const sources = [
        { name: "Coast guard", role: "official" },
        { name: "Wire", uri: "https://example.org/w" },
      ];
      await commitNew("a", {
        urgency: 1,
        breaking: true,
        verification: "unconfirmed",
        keyEvent: true,
        sources,
      });
      await storage.commit({ itemId: "a", decide: bump({ verification: "confirmed" }) });
      storage = await reopen();
      expect(await storage.getItem("a")).toMatchObject({
        urgency: 1,
        breaking: true,
        verification: "confirmed",
        keyEvent: true,
        sources,
      });
      expect((await storage.listRevisions("a")).map((r) => r.verification)).toEqual([
        "unconfirmed",
        "confirmed",
      ]);
      expect((await storage.changesSince(0, 10)).map((c) => [c.item.urgency, c.item.sources])).toEqual([
        [1, sources],
        [1, sources],
      ]);
      expect((await storage.latestWindow(10)).map((item) => item.keyEvent)).toEqual([true]);
    });

    it("keeps when an item's content last changed, on the item, its revisions and its changes", async () => {
      expect(await commitNew("a")).toMatchObject({ contentUpdatedAt: null });
      const at = "2026-03-01T11:12:00.000Z";
      await storage.commit({ itemId: "a", decide: bump({ headline: "Edited", contentUpdatedAt: at }) });
      await storage.commit({ itemId: "a", decide: bump({ pinned: true }) });
      expect(await storage.getItem("a")).toMatchObject({ pinned: true, contentUpdatedAt: at });
      expect((await storage.listRevisions("a")).map((r) => r.contentUpdatedAt)).toEqual([null, at, at]);
      expect((await storage.changesSince(0, 10)).map((c) => c.item.contentUpdatedAt)).toEqual([null, at, at]);
      expect((await storage.latestWindow(10)).map((item) => item.contentUpdatedAt)).toEqual([at]);
    });

    it("stores nothing and uses no seq when the decision refuses", async () => {
      await commitNew("a");
      const refused = await storage.commit({ itemId: "a", decide: create(draft("a")) });
      expect(refused.status).toBe("refused");
      const missing = await storage.commit({ itemId: "zz", decide: bump({ headline: "x" }) });
      expect(missing).toEqual({ status: "refused", refusal: { code: "not_found" } });
      expect(await storage.latestSeq()).toBe(1);
      expect(await commitNew("b")).toMatchObject({ seq: 2 });
    });

    it("keeps seq gapless and in commit order under many concurrent commits", async () => {
      const items = await Promise.all(
        Array.from({ length: 60 }, (_, i) => commitNew(`c${String(i).padStart(2, "0")}`)),
      );
      const seqs = items.map((item) => item.seq).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      const log = await storage.changesSince(0, 100);
      expect(log.map((c) => c.seq)).toEqual(seqs);
    });

    it("replays an idempotent create and refuses the key for a different body", async () => {
      const claim = { principal: "token:1", key: "k-1", fingerprint: "f1" };
      const first = await storage.commit({ itemId: "a", decide: create(draft("a")), idempotency: claim });
      const again = await storage.commit({ itemId: "b", decide: create(draft("b")), idempotency: claim });
      expect(first.status).toBe("committed");
      expect(again).toMatchObject({ status: "replayed", item: { id: "a" } });
      const reused = await storage.commit({
        itemId: "c",
        decide: create(draft("c")),
        idempotency: { ...claim, fingerprint: "f2" },
      });
      expect(reused).toEqual({ status: "key_reused", itemId: "a" });
      const otherCaller = await storage.commit({
        itemId: "d",
        decide: create(draft("d")),
        idempotency: { ...claim, principal: "token:2" },
      });
      expect(otherCaller.status).toBe("committed");
      expect(await storage.latestSeq()).toBe(2);
      expect(await storage.forgetIdempotencyKeys(new Date(Date.now() + 1000))).toBe(2);
      const afterForgetting = await storage.commit({
        itemId: "e",
        decide: create(draft("e")),
        idempotency: claim,
      });
      expect(afterForgetting.status).toBe("committed");
    });

    it("never forgets the keys of the lasting principal (identities of imported blocks)", async () => {
      const lasting = {
        principal: LASTING_KEYS_PRINCIPAL,
        key: "plain-text:abc",
        fingerprint: "plain-text:abc",
      };
      const first = await storage.commit({ itemId: "a", decide: create(draft("a")), idempotency: lasting });
      expect(first.status).toBe("committed");
      expect(await storage.forgetIdempotencyKeys(new Date(Date.now() + 60_000))).toBe(0);
      const again = await storage.commit({ itemId: "b", decide: create(draft("b")), idempotency: lasting });
      expect(again).toMatchObject({ status: "replayed", item: { id: "a" } });
      expect(await storage.latestSeq()).toBe(1);
    });

    it("lets a retry whose key names an item that is gone go ahead, and the key then names the new item", async () => {
      const claim = { principal: "token:1", key: "k-1", fingerprint: "f1" };
      expect(
        (await storage.commit({ itemId: "a", decide: create(draft("a")), idempotency: claim })).status,
      ).toBe("committed");
      await tamper.dropItem("a");
      const retried = await storage.commit({ itemId: "b", decide: create(draft("b")), idempotency: claim });
      expect(retried).toMatchObject({ status: "committed", change: { seq: 2, item: { id: "b" } } });
      const again = await storage.commit({ itemId: "c", decide: create(draft("c")), idempotency: claim });
      expect(again).toMatchObject({ status: "replayed", item: { id: "b" } });
      const otherBody = await storage.commit({
        itemId: "d",
        decide: create(draft("d")),
        idempotency: { ...claim, fingerprint: "f2" },
      });
      expect(otherBody).toEqual({ status: "key_reused", itemId: "b" });
      expect(await storage.latestSeq()).toBe(2);
    });

    it("writes an admin change and its audit line together, or neither", async () => {
      const topic = { slug: "world", name: "World" };
      expect(await storage.applyAdminChange({ action: "topic.created", topic }, line("world", "World"))).toBe(
        true,
      );
      // A change that does not apply (the slug is taken) leaves no line.
      expect(await storage.applyAdminChange({ action: "topic.created", topic }, line("world", "Again"))).toBe(
        false,
      );
      const operator = {
        id: "op1",
        username: "Ana",
        role: "editor" as const,
        passwordHash: "h",
        disabled: false,
      };
      expect(await storage.applyAdminChange({ action: "operator.created", operator }, line("Ana"))).toBe(
        true,
      );
      expect(
        await storage.applyAdminChange(
          { action: "operator.created", operator: { ...operator, id: "op2" } },
          line("ana"),
        ),
      ).toBe(false);
      expect(
        (await storage.listAudit({ limit: 10 })).map((e) => [e.actor, e.action, e.target, e.detail]),
      ).toEqual([
        ["admin", "operator.created", "Ana", ""],
        ["admin", "topic.created", "world", "World"],
      ]);

      // When its line cannot be written, the change is not made either.
      await tamper.failAuditWrites();
      const session = {
        idHash: "s1",
        operatorId: "op1",
        csrfToken: "c",
        createdAt: "2026-03-01T10:00:00.000Z",
        lastSeenAt: "2026-03-01T10:00:00.000Z",
      };
      await storage.createSession(session);
      const token = {
        id: "t1",
        name: "wire",
        role: "editor" as const,
        hash: "th",
        revoked: false,
        createdAt: session.createdAt,
      };
      const refused = [
        { action: "topic.created", topic: { slug: "sport", name: "Sport" } },
        { action: "topic.renamed", slug: "world", name: "World news" },
        { action: "operator.created", operator: { ...operator, id: "op3", username: "Ben" } },
        { action: "operator.updated", operatorId: "op1", change: { disabled: true }, endSessions: true },
        { action: "token.created", token },
      ] as const;
      for (const change of refused) {
        await expect(storage.applyAdminChange(change, line("x"))).rejects.toThrow();
      }
      expect(await storage.listTopics()).toEqual([topic]);
      expect(await storage.listOperators()).toEqual([operator]);
      expect(await storage.findSession("s1")).toEqual(session);
      expect(await storage.listTokens()).toEqual([]);
    });

    it("lists in timeline order, pages by position, filters by topics and text, and hides retractions", async () => {
      await commitNew("a", {
        publishedAt: "2026-03-01T10:00:00.000Z",
        topics: ["world"],
        headline: "Storm hits coast",
      });
      await commitNew("b", {
        publishedAt: "2026-03-01T12:00:00.000Z",
        topics: ["sport"],
        summary: "Cup final tonight",
      });
      await commitNew("c", { publishedAt: "2026-03-01T11:00:00.000Z", topics: ["politics", "world"] });
      await commitNew("d", {
        publishedAt: "2026-03-01T11:00:00.000Z",
        topics: ["politics"],
        status: "retracted",
      });
      const base = { topics: [], text: undefined, after: undefined, limit: 10, status: "published" as const };
      const ids = (items: Item[]) => items.map((item) => item.id);

      expect(ids(await storage.listItems(base))).toEqual(["b", "c", "a"]);
      expect(ids(await storage.listItems({ ...base, status: "all" }))).toEqual(["b", "d", "c", "a"]);
      expect(ids(await storage.listItems({ ...base, status: "retracted" }))).toEqual(["d"]);
      expect(ids(await storage.listItems({ ...base, status: "retracted", topics: ["sport"] }))).toEqual([]);
      expect(
        ids(
          await storage.listItems({ ...base, after: { publishedAt: "2026-03-01T11:00:00.000Z", id: "c" } }),
        ),
      ).toEqual(["a"]);
      expect(ids(await storage.listItems({ ...base, topics: ["sport", "politics"] }))).toEqual(["b", "c"]);
      expect(ids(await storage.listItems({ ...base, text: "stor" }))).toEqual(["a"]);
      expect(ids(await storage.listItems({ ...base, text: "CUP final" }))).toEqual(["b"]);
      expect(ids(await storage.listItems({ ...base, text: 'cup "OR" NEAR(' }))).toEqual([]);
      expect(ids(await storage.listItems({ ...base, limit: 2 }))).toEqual(["b", "c"]);
    });

    it("filters the list by verification, `none` for items nobody has said anything about", async () => {
      await commitNew("said-nothing", { publishedAt: "2026-03-01T10:00:00.000Z" });
      await commitNew("unconfirmed", {
        publishedAt: "2026-03-01T11:00:00.000Z",
        verification: "unconfirmed",
      });
      await commitNew("confirmed", { publishedAt: "2026-03-01T12:00:00.000Z", verification: "unconfirmed" });
      await storage.commit({ itemId: "confirmed", decide: bump({ verification: "confirmed" }) });
      await commitNew("disputed", {
        publishedAt: "2026-03-01T13:00:00.000Z",
        verification: "disputed",
        topics: ["sport"],
        status: "retracted",
      });
      const base = { topics: [], text: undefined, after: undefined, limit: 10, status: "all" as const };
      const ids = (items: Item[]) => items.map((item) => item.id);

      expect(ids(await storage.listItems({ ...base, verification: "none" }))).toEqual(["said-nothing"]);
      expect(ids(await storage.listItems({ ...base, verification: "unconfirmed" }))).toEqual(["unconfirmed"]);
      expect(ids(await storage.listItems({ ...base, verification: "confirmed" }))).toEqual(["confirmed"]);
      expect(ids(await storage.listItems({ ...base, verification: "disputed" }))).toEqual(["disputed"]);
      expect(
        ids(await storage.listItems({ ...base, verification: "disputed", status: "published" })),
      ).toEqual([]);
      expect(ids(await storage.listItems({ ...base, verification: "disputed", topics: ["world"] }))).toEqual(
        [],
      );
      expect(ids(await storage.listItems({ ...base, verification: undefined }))).toHaveLength(4);
    });

    it("lists key events alone (or everything else), in timeline order, with the other filters, from an index", async () => {
      await commitNew("k1", { publishedAt: "2026-03-01T09:00:00.000Z", keyEvent: true, topics: ["world"] });
      await commitNew("plain", { publishedAt: "2026-03-01T10:00:00.000Z" });
      await commitNew("k2", { publishedAt: "2026-03-01T11:00:00.000Z", keyEvent: true, topics: ["sport"] });
      await commitNew("k3", { publishedAt: "2026-03-01T12:00:00.000Z", keyEvent: true, status: "retracted" });
      const base = { topics: [], text: undefined, after: undefined, limit: 10, status: "published" as const };
      const ids = (items: Item[]) => items.map((item) => item.id);

      expect(ids(await storage.listItems({ ...base, keyEvent: true }))).toEqual(["k2", "k1"]);
      expect(ids(await storage.listItems({ ...base, keyEvent: false }))).toEqual(["plain"]);
      expect(ids(await storage.listItems({ ...base, keyEvent: true, status: "all" }))).toEqual([
        "k3",
        "k2",
        "k1",
      ]);
      expect(ids(await storage.listItems({ ...base, keyEvent: true, topics: ["world"] }))).toEqual(["k1"]);
      expect(ids(await storage.listItems({ ...base, keyEvent: true, limit: 1 }))).toEqual(["k2"]);
      expect(
        ids(
          await storage.listItems({
            ...base,
            keyEvent: true,
            after: { publishedAt: "2026-03-01T11:00:00.000Z", id: "k2" },
          }),
        ),
      ).toEqual(["k1"]);
      // Unmarked: out of the list at once; marked later: in it.
      await storage.commit({ itemId: "k2", decide: bump({ keyEvent: false }) });
      await storage.commit({ itemId: "plain", decide: bump({ keyEvent: true }) });
      expect(ids(await storage.listItems({ ...base, keyEvent: true }))).toEqual(["plain", "k1"]);
    });

    it("lists up to a position, inclusive, for a jump far down the feed", async () => {
      for (const [i, id] of ["a", "b", "c", "d", "e"].entries()) {
        await commitNew(id, {
          publishedAt: `2026-03-01T1${i}:00:00.000Z`,
          topics: i % 2 === 0 ? ["world"] : ["sport"],
        });
      }
      const base = { topics: [], text: undefined, after: undefined, limit: 10, status: "published" as const };
      const ids = (items: Item[]) => items.map((item) => item.id);
      const b = { publishedAt: "2026-03-01T11:00:00.000Z", id: "b" };
      const d = { publishedAt: "2026-03-01T13:00:00.000Z", id: "d" };

      expect(ids(await storage.listItems({ ...base, until: b }))).toEqual(["e", "d", "c", "b"]);
      expect(ids(await storage.listItems({ ...base, until: b, after: d }))).toEqual(["c", "b"]);
      expect(ids(await storage.listItems({ ...base, until: b, topics: ["world"] }))).toEqual(["e", "c"]);
      expect(ids(await storage.listItems({ ...base, until: b, limit: 2 }))).toEqual(["e", "d"]);
    });

    it("lists by latest change for the feeds: each item once, the one changed last first, filters kept", async () => {
      await commitNew("old", {
        publishedAt: "2026-03-01T08:00:00.000Z",
        topics: ["world"],
        headline: "Storm",
      });
      await commitNew("new", { publishedAt: "2026-03-01T12:00:00.000Z", topics: ["sport"] });
      await commitNew("mid", { publishedAt: "2026-03-01T10:00:00.000Z", topics: ["world"] });
      // The oldest story is corrected twice, then the newest retracted: both move to the top.
      await storage.commit({ itemId: "old", decide: bump({ headline: "Storm hits coast" }) });
      await storage.commit({ itemId: "old", decide: bump({ correction: "Coast, not city" }) });
      await storage.commit({ itemId: "new", decide: bump({ status: "retracted" }) });
      const base = {
        topics: [],
        text: undefined,
        after: undefined,
        limit: 10,
        status: "all" as const,
        order: "latestChange" as const,
      };
      const ids = (items: Item[]) => items.map((item) => item.id);

      const all = await storage.listItems(base);
      expect(ids(all)).toEqual(["new", "old", "mid"]);
      expect(all.map((item) => item.version)).toEqual([2, 3, 1]);
      expect(ids(await storage.listItems({ ...base, limit: 2 }))).toEqual(["new", "old"]);
      expect(ids(await storage.listItems({ ...base, topics: ["world"] }))).toEqual(["old", "mid"]);
      expect(ids(await storage.listItems({ ...base, text: "coast" }))).toEqual(["old"]);
      expect(ids(await storage.listItems({ ...base, status: "published" }))).toEqual(["old", "mid"]);
    });

    it("searches as the dashboard's filter does: Arabic without its article, emoji, diacritics", async () => {
      const items = [
        await commitNew("ar", { headline: "الميزانية الجديدة أُقرّت", summary: "صوّت البرلمان." }),
        await commitNew("ar2", { headline: "ميزانية البلدية", summary: "" }),
        await commitNew("fire", { headline: "Wildfire 🔥 near the town", summary: "Crews 👩🏽‍🚒 arrive." }),
        await commitNew("cafe", { headline: "Café owners protest", summary: "" }),
        await commitNew("plain", { headline: "Council meets", summary: "Nothing else." }),
      ];
      const base = { topics: [], after: undefined, limit: 50, status: "published" as const };
      for (const q of [
        "ميزانية",
        "الميزانية",
        "اقرت",
        "🔥",
        "👩",
        "😀",
        "cafe",
        "CAFÉ",
        "council 🔥",
        "برلمان",
      ]) {
        const found = (await storage.listItems({ ...base, text: q })).map((item) => item.id).sort();
        const kept = items
          .filter((item) => matchesFilter(item, { topics: [], q }))
          .map((item) => item.id)
          .sort();
        expect({ q, found }).toEqual({ q, found: kept });
      }
      expect((await storage.listItems({ ...base, text: "ميزانية" })).map((item) => item.id).sort()).toEqual([
        "ar",
        "ar2",
      ]);
      expect((await storage.listItems({ ...base, text: "🔥" })).map((item) => item.id)).toEqual(["fire"]);
      expect(await storage.listItems({ ...base, text: "😀" })).toEqual([]);
    });

    it("finds an item by its new words after an edit, not by its old ones", async () => {
      await commitNew("a", { headline: "Bridge opens" });
      await storage.commit({ itemId: "a", decide: bump({ headline: "Tunnel opens" }) });
      const base = { topics: [], after: undefined, limit: 10, status: "published" as const };
      expect(await storage.listItems({ ...base, text: "bridge" })).toEqual([]);
      expect((await storage.listItems({ ...base, text: "tunnel" })).map((i) => i.id)).toEqual(["a"]);
    });

    it("gives the latest window of items, retracted ones too, plus every pinned one", async () => {
      await commitNew("old-pinned", { publishedAt: "2026-01-01T00:00:00.000Z", pinned: true });
      await commitNew("x", { publishedAt: "2026-03-01T10:00:00.000Z" });
      await commitNew("y", { publishedAt: "2026-03-01T11:00:00.000Z" });
      await commitNew("z", { publishedAt: "2026-03-01T12:00:00.000Z", status: "retracted" });
      expect((await storage.latestWindow(2)).map((i) => i.id)).toEqual(["z", "y", "old-pinned"]);
    });

    it("keeps a retraction's hidden text and its legal-kill mark whole, for operators", async () => {
      await commitNew("kept", { summary: "Kept summary", url: "https://example.com/kept" });
      await commitNew("killed", { summary: "Killed summary", url: "https://example.com/killed" });
      const retract = (withdrawn: boolean) =>
        bump({ status: "retracted", retractionReason: "Wrong", ...(withdrawn ? { withdrawn: true } : {}) });
      await storage.commit({ itemId: "kept", decide: retract(false) });
      await storage.commit({ itemId: "killed", decide: retract(true) });

      const killed = await storage.getItem("killed");
      expect(killed).toMatchObject({ status: "retracted", summary: "Killed summary", withdrawn: true });
      expect(killed?.url).toBe("https://example.com/killed");
      // An item stored without the mark (as every item before legal kills existed) reads as not withdrawn.
      expect(await storage.getItem("kept")).not.toHaveProperty("withdrawn");
      expect((await storage.listRevisions("killed")).map((r) => [r.summary, r.withdrawn])).toEqual([
        ["Killed summary", undefined],
        ["Killed summary", true],
      ]);
      expect((await storage.changesSince(0, 10)).map((c) => [c.item.id, c.kind, c.item.withdrawn])).toEqual([
        ["kept", "created", undefined],
        ["killed", "created", undefined],
        ["kept", "updated", undefined],
        ["killed", "updated", true],
      ]);
      const listed = await storage.listItems({
        topics: [],
        text: undefined,
        after: undefined,
        limit: 10,
        status: "all",
      });
      expect(listed.find((item) => item.id === "killed")?.withdrawn).toBe(true);
      expect((await storage.latestWindow(10)).find((item) => item.id === "killed")?.withdrawn).toBe(true);
    });

    it("keeps topics, operators, sessions and tokens", async () => {
      expect(await storage.createTopic({ slug: "world", name: "World" })).toBe(true);
      expect(await storage.createTopic({ slug: "world", name: "Again" })).toBe(false);
      expect(await storage.listTopics()).toEqual([{ slug: "world", name: "World" }]);

      const operator = {
        id: "op1",
        username: "Ana",
        role: "editor" as const,
        passwordHash: "h",
        disabled: false,
      };
      expect(await storage.createOperator(operator)).toBe(true);
      expect(await storage.createOperator({ ...operator, id: "op2", username: "ana" })).toBe(false);
      expect(await storage.countOperators()).toBe(1);
      expect(await storage.findOperatorByUsername("ANA")).toEqual(operator);
      expect(await storage.getOperator("op1")).toEqual(operator);

      const session = {
        idHash: "s1",
        operatorId: "op1",
        csrfToken: "c",
        createdAt: "2026-03-01T10:00:00.000Z",
        lastSeenAt: "2026-03-01T10:00:00.000Z",
      };
      await storage.createSession(session);
      await storage.touchSession("s1", "2026-03-01T11:00:00.000Z");
      expect(await storage.findSession("s1")).toEqual({ ...session, lastSeenAt: "2026-03-01T11:00:00.000Z" });
      await storage.deleteSession("s1");
      expect(await storage.findSession("s1")).toBeNull();

      await storage.createToken({
        id: "t1",
        name: "wire",
        role: "editor",
        hash: "th",
        revoked: false,
        createdAt: "2026-03-01T10:00:00.000Z",
      });
      expect((await storage.listTokens()).map((t) => [t.id, t.name, t.createdAt])).toEqual([
        ["t1", "wire", "2026-03-01T10:00:00.000Z"],
      ]);
      expect(await storage.findTokenByHash("th")).toMatchObject({ id: "t1", revoked: false });
      expect(await storage.applyAdminChange({ action: "token.revoked", tokenId: "t1" }, line("t1"))).toBe(
        true,
      );
      expect(await storage.applyAdminChange({ action: "token.revoked", tokenId: "t1" }, line("t1"))).toBe(
        false,
      );
      expect(await storage.findTokenByHash("th")).toMatchObject({ revoked: true });

      const rename = (slug: string, name: string) =>
        storage.applyAdminChange({ action: "topic.renamed", slug, name }, line(slug));
      expect(await rename("world", "World news")).toBe(true);
      expect(await rename("nope", "x")).toBe(false);
      expect(await storage.listTopics()).toEqual([{ slug: "world", name: "World news" }]);

      const update = (operatorId: string, change: OperatorChange, endSessions: boolean) =>
        storage.applyAdminChange(
          { action: "operator.updated", operatorId, change, endSessions },
          line(operatorId),
        );
      await storage.createSession({ ...session, idHash: "s2" });
      expect(await update("op1", { role: "admin" }, false)).toBe(true);
      expect(await update("missing", { role: "admin" }, true)).toBe(false);
      expect(await storage.findSession("s2")).not.toBeNull();
      expect(await update("op1", { disabled: true }, true)).toBe(true);
      expect(await storage.listOperators()).toEqual([{ ...operator, role: "admin", disabled: true }]);
      expect(await storage.findSession("s2")).toBeNull();
    });

    it("keeps an audit log that includes every change of the timeline, newest first", async () => {
      await storage.appendAudit({
        at: "2026-03-01T09:00:00.000Z",
        actor: "admin",
        action: "topic.created",
        target: "world",
        detail: "World",
      });
      await commitNew("a", { updatedAt: "2026-03-01T10:00:00.000Z", author: "ana", headline: "First" });
      await storage.appendAudit({
        at: "2026-03-01T11:00:00.000Z",
        actor: "admin",
        action: "token.revoked",
        target: "t1",
        detail: "wire",
      });
      expect(
        (await storage.listAudit({ limit: 10 })).map((e) => [e.actor, e.action, e.target, e.detail]),
      ).toEqual([
        ["admin", "token.revoked", "t1", "wire"],
        ["ana", "item.created", "a", "First"],
        ["admin", "topic.created", "world", "World"],
      ]);
      expect(await storage.listAudit({ limit: 1 })).toHaveLength(1);
    });

    it("gives a change of verification an audit action of its own, with the state it set", async () => {
      await commitNew("v", { updatedAt: "2026-03-01T10:00:00.000Z", author: "ana", headline: "Dam breaks" });
      const edit = (fields: Partial<ItemDraft>, minute: number, author = "ana") =>
        storage.commit({
          itemId: "v",
          decide: bump({ ...fields, author, updatedAt: `2026-03-01T10:${minute}:00.000Z` }),
        });
      await edit({ verification: "unconfirmed" }, 10);
      await edit({ headline: "Dam breaks upstream" }, 20);
      await edit({ verification: "confirmed" }, 30, "ben");
      await edit({ verification: null }, 40);
      await storage.commit({
        itemId: "v",
        decide: (current) => {
          const decision = bump({ status: "retracted", updatedAt: "2026-03-01T10:50:00.000Z" })(current);
          return decision.ok ? { ...decision, kind: "retracted" } : decision;
        },
      });
      const lines = async (query: Omit<AuditQuery, "limit">) =>
        (await storage.listAudit({ limit: 100, ...query })).map((e) => [e.actor, e.action, e.detail]);
      expect(await lines({ target: "v" })).toEqual([
        ["ana", "item.retracted", "Dam breaks upstream"],
        ["ana", "item.verification", "Verification cleared: Dam breaks upstream"],
        ["ben", "item.verification", "Confirmed: Dam breaks upstream"],
        ["ana", "item.updated", "Dam breaks upstream"],
        ["ana", "item.verification", "Unconfirmed: Dam breaks"],
        ["ana", "item.created", "Dam breaks"],
      ]);
      expect(await lines({ action: "item.verification", actor: "ben" })).toEqual([
        ["ben", "item.verification", "Confirmed: Dam breaks upstream"],
      ]);
      expect(await lines({ action: "item.updated" })).toEqual([
        ["ana", "item.updated", "Dam breaks upstream"],
      ]);
    });

    it("pages through the audit log by position, every line once, and filters it by actor, action and target", async () => {
      // Lines from both sources at one instant: the position must still order and page them.
      const at = "2026-03-01T10:00:00.000Z";
      for (let i = 0; i < 4; i += 1) {
        await storage.appendAudit({
          at,
          actor: "Admin",
          action: "topic.created",
          target: `t${i}`,
          detail: "",
        });
        await commitNew(`i${i}`, { updatedAt: at, author: "ana", headline: `Item ${i}` });
      }
      await storage.commit({ itemId: "i1", decide: bump({ updatedAt: "2026-03-01T11:00:00.000Z" }) });
      const all = await storage.listAudit({ limit: 100 });
      expect(all).toHaveLength(9);
      const seen: string[] = [];
      let after: AuditPosition | undefined;
      for (let page = 0; page < 10; page += 1) {
        const lines = await storage.listAudit({ limit: 2, after });
        seen.push(...lines.map((line) => `${line.action}:${line.target}`));
        after = lines.at(-1)?.position;
        if (lines.length < 2) break;
      }
      expect(seen).toEqual(all.map((line) => `${line.action}:${line.target}`));
      expect(new Set(seen).size).toBe(9);

      const targets = async (query: Omit<AuditQuery, "limit">) =>
        (await storage.listAudit({ limit: 100, ...query })).map((line) => `${line.action}:${line.target}`);
      expect(await targets({ target: "i1" })).toEqual(["item.updated:i1", "item.created:i1"]);
      expect(await targets({ action: "item.updated" })).toEqual(["item.updated:i1"]);
      expect(await targets({ actor: "admin" })).toEqual([
        "topic.created:t3",
        "topic.created:t2",
        "topic.created:t1",
        "topic.created:t0",
      ]);
      expect(await targets({ actor: "ana", action: "topic.created" })).toEqual([]);
      const firstTwo = await storage.listAudit({ limit: 2, actor: "admin" });
      expect(await targets({ actor: "admin", after: firstTwo.at(-1)?.position })).toEqual([
        "topic.created:t1",
        "topic.created:t0",
      ]);
    });
  });
}
