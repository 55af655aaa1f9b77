import type { AdminChange } from "../audit-store";

/**
 * One admin change as data-modifying CTEs, the one named `changed` returning a row when the
 * change applied and none when it did not.
 */
export function adminChangeSql(change: AdminChange): { ctes: string; params: unknown[] } {
  switch (change.action) {
    case "topic.created":
      return {
        ctes: "changed AS (INSERT INTO topics (slug, name) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING slug)",
        params: [change.topic.slug, change.topic.name],
      };
    case "topic.renamed":
      return {
        ctes: "changed AS (UPDATE topics SET name = $2 WHERE slug = $1 RETURNING slug)",
        params: [change.slug, change.name],
      };
    case "operator.created": {
      const { id, username, role, passwordHash, disabled } = change.operator;
      return {
        ctes: `changed AS (INSERT INTO operators (id, username, role, password_hash, disabled)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id)`,
        params: [id, username, role, passwordHash, disabled],
      };
    }
    case "operator.updated": {
      const { role, disabled, passwordHash } = change.change;
      // The sessions end in a CTE that reads the updated row, so only when the change applied.
      return {
        ctes: `changed AS (UPDATE operators SET role = coalesce($2, role), disabled = coalesce($3, disabled),
                 password_hash = coalesce($4, password_hash) WHERE id = $1 RETURNING id),
               ended AS (DELETE FROM sessions WHERE $5::boolean AND operator_id IN (SELECT id FROM changed))`,
        params: [change.operatorId, role ?? null, disabled ?? null, passwordHash ?? null, change.endSessions],
      };
    }
    case "token.created": {
      const { id, name, role, hash, revoked, createdAt } = change.token;
      return {
        ctes: `changed AS (INSERT INTO tokens (id, name, role, hash, revoked, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id)`,
        params: [id, name, role, hash, revoked, createdAt],
      };
    }
    case "token.revoked":
      return {
        ctes: "changed AS (UPDATE tokens SET revoked = true WHERE id = $1 AND NOT revoked RETURNING id)",
        params: [change.tokenId],
      };
  }
}
