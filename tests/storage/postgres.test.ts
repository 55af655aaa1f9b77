import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgMigrations } from "../../server/storage/postgres/migrations";
import { DEFAULT_PG_TIMEOUTS, PgStorage, pgTimeouts } from "../../server/storage/postgres/pg-storage";
import { toTsQuery } from "../../server/storage/search";
import { sessionSchema } from "../../shared/requests";
import { call } from "../helpers/http";
import { sampleDraft } from "../helpers/items";
import { type PostgresServer, startPostgres } from "../helpers/postgres";
import { spawnServer } from "../helpers/process";
import { Reader } from "../helpers/reader";
import { storageContract } from "./contract";

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server.stop();
});

storageContract("PostgreSQL", async () => {
  const url = await server.createDatabase();
  let storage = await PgStorage.open(url);
  // A connection of its own, around the storage, as someone with the database at hand would use.
  const around = async (sql: string, params: string[] = []) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql, params);
    } finally {
      await client.end();
    }
  };
  return {
    storage,
    tamper: {
      dropItem: (id) => around("DELETE FROM items WHERE id = $1", [id]),
      failAuditWrites: () =>
        around(`
          CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'audit refused'; END $$;
          CREATE TRIGGER refuse_audit BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION refuse_audit();`),
    },
    reopen: async () => {
      await storage.close();
      storage = await PgStorage.open(url);
      return storage;
    },
    dispose: () => storage.close(),
  };
});

describe("PostgreSQL storage", () => {
  it("keeps seq gapless and in commit order while several nodes (pools) write at once", async () => {
    const url = await server.createDatabase();
    const nodes = await Promise.all([PgStorage.open(url), PgStorage.open(url), PgStorage.open(url)]);
    const commits = await Promise.all(
      Array.from({ length: 90 }, (_, i) => {
        const node = nodes[i % 3];
        if (node === undefined) throw new Error("no node");
        return node.commit({
          itemId: `n${i}`,
          decide: () => ({ ok: true, kind: "created", item: sampleDraft(`n${i}`, { headline: `n${i}` }) }),
        });
      }),
    );
    const seqs = commits.map((c) => (c.status === "committed" ? c.change.seq : -1)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
    const log = await nodes[0]?.changesSince(0, 200);
    expect(log?.map((c) => c.seq)).toEqual(seqs);
    await Promise.all(nodes.map((node) => node.close()));
  });

  it("decides again when another node changed the item between its read and its commit", async () => {
    const url = await server.createDatabase();
    const nodes = await Promise.all([PgStorage.open(url), PgStorage.open(url), PgStorage.open(url)]);
    const [first] = nodes;
    if (first === undefined) throw new Error("no node");
    await first.commit({
      itemId: "story",
      decide: () => ({ ok: true, kind: "created", item: sampleDraft("story") }),
    });
    // Each edit appends a word to the headline: an edit decided on a stale read would lose one.
    const edits = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (nodes[i % 3] ?? first).commit({
          itemId: "story",
          decide: (current) => {
            if (current === null) return { ok: false, refusal: { code: "not_found" } };
            const { seq: _seq, ...rest } = current;
            return {
              ok: true,
              kind: "updated",
              item: { ...rest, headline: `${current.headline} ${i}`, version: current.version + 1 },
            };
          },
        }),
      ),
    );
    expect(edits.every((edit) => edit.status === "committed")).toBe(true);
    const item = await first.getItem("story");
    expect(item?.version).toBe(31);
    expect(
      item?.headline
        .split(" ")
        .slice(2)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect((await first.listRevisions("story")).map((r) => r.version)).toEqual(
      Array.from({ length: 31 }, (_, i) => i + 1),
    );
    await Promise.all(nodes.map((node) => node.close()));
  });

  it("commits a new item in one round trip and a change to an item in two", async () => {
    const sent: string[] = [];
    const storage = await PgStorage.open(await server.createDatabase(), { onQuery: (sql) => sent.push(sql) });
    try {
      const claim = { principal: "token:1", key: "k-1", fingerprint: "f1" };
      const created = await storage.commit({
        itemId: "a",
        decide: (current) =>
          current === null
            ? { ok: true, kind: "created", item: sampleDraft("a") }
            : { ok: false, refusal: { code: "version_conflict", current } },
        idempotency: claim,
      });
      expect(created).toMatchObject({ status: "committed", change: { seq: 1 } });
      expect(sent).toHaveLength(1);
      sent.length = 0;
      const edited = await storage.commit({
        itemId: "a",
        decide: (current) => {
          if (current === null) return { ok: false, refusal: { code: "not_found" } };
          const { seq: _seq, ...rest } = current;
          return {
            ok: true,
            kind: "updated",
            item: { ...rest, headline: "Edited", version: current.version + 1 },
          };
        },
      });
      expect(edited).toMatchObject({ status: "committed", change: { seq: 2, item: { headline: "Edited" } } });
      expect(sent).toHaveLength(2);
    } finally {
      await storage.close();
    }
  });

  it("reads key events from their own index, not by walking every item", async () => {
    const url = await server.createDatabase();
    const sent: string[] = [];
    const storage = await PgStorage.open(url, { onQuery: (sql) => sent.push(sql) });
    const base = { topics: [], text: undefined, after: undefined, limit: 11, status: "published" as const };
    try {
      sent.length = 0;
      await storage.listItems({ ...base, keyEvent: true });
      const [sql] = sent;
      if (sql === undefined) throw new Error("no query sent");
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        // Told to avoid walking the table, the planner takes the index if it covers the condition.
        await client.query("SET enable_seqscan = off");
        const plan = await client.query(`EXPLAIN ${sql}`, ["published", 11]);
        expect(JSON.stringify(plan.rows)).toContain("items_key_events");
      } finally {
        await client.end();
      }
    } finally {
      await storage.close();
    }
  });

  it("gives every PostgreSQL call a deadline, which DATABASE_URL's parameters may change", () => {
    expect(pgTimeouts("postgres://db/livedesk")).toEqual(DEFAULT_PG_TIMEOUTS);
    expect(
      pgTimeouts("postgres://db/livedesk?connect_timeout=5&statement_timeout=10000&query_timeout=12000"),
    ).toMatchObject({
      connect_timeout_ms: 5000,
      statement_timeout: 10_000,
      query_timeout: 12_000,
      lock_timeout: 2000,
    });
    expect(() => pgTimeouts("postgres://db/livedesk?lock_timeout=soon")).toThrow(/lock_timeout/);
  });

  it("serves a whole livedesk process on DATABASE_URL=postgres://, readers included", async () => {
    const url = await server.createDatabase();
    const node = await spawnServer({ DATABASE_URL: url, LIVEDESK_ADMIN_PASSWORD: "pg-admin-password" });
    try {
      const login = await fetch(`${node.url}/api/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password: "pg-admin-password" }),
      });
      expect(login.status).toBe(200);
      const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      const headers = { cookie, "x-csrf-token": sessionSchema.parse(await login.json()).csrfToken };
      await call(node.url, "POST", "/api/topics", { headers, body: { slug: "world", name: "World" } });
      const reader = new Reader(node.url);
      await reader.waitForSyncs(1);
      const published = await call(node.url, "POST", "/api/items", {
        headers,
        body: { headline: "Stored in PostgreSQL", topics: ["world"] },
      });
      expect(published.status).toBe(201);
      await reader.waitForSeq(1);
      expect(reader.follower.view.items.map((item) => item.headline)).toEqual(["Stored in PostgreSQL"]);
      reader.close();
      const found = await call(node.url, "GET", "/api/items?q=postgres");
      expect(found.body).toMatchObject({ items: [{ headline: "Stored in PostgreSQL" }] });
      expect((await call(node.url, "GET", "/readyz")).status).toBe(200);
    } finally {
      node.child.kill("SIGTERM");
      await node.exited;
    }
  });

  it("gives a database made before epochs one when it migrates, and keeps it", async () => {
    const url = await server.createDatabase();
    // The schema as the last release without epochs left it, with seven changes counted.
    const before = pgMigrations.findIndex((sql) => sql.includes("timeline_epoch"));
    const old = new pg.Client({ connectionString: url });
    await old.connect();
    await old.query("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY)");
    for (const [i, sql] of pgMigrations.slice(0, before).entries()) {
      await old.query(sql);
      await old.query("INSERT INTO schema_migrations (version) VALUES ($1)", [i + 1]);
    }
    await old.query("UPDATE meta SET value = 7 WHERE key = 'seq'");
    await old.end();
    const first = await PgStorage.open(url);
    const epoch = await first.epoch();
    expect(epoch).toMatch(/^[0-9a-f]{32}$/);
    expect(await first.latestSeq()).toBe(7);
    await first.close();
    const second = await PgStorage.open(url);
    expect(await second.epoch()).toBe(epoch);
    await second.close();
  });

  it("turns search text into prefix terms that cannot break the tsquery syntax", () => {
    expect(toTsQuery("Storm & coast | !x")).toBe("'storm':* & 'coast':* & 'x':*");
    expect(toTsQuery("الميزانية 🔥")).toBe("'ميزانيه':* & '🔥':*");
    expect(toTsQuery("!!")).toBeNull();
  });
});
