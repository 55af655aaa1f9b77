import { Router } from "express";
import {
  type AuditPage,
  auditQuerySchema,
  createOperatorSchema,
  createTokenSchema,
  type OperatorSummary,
  type TokenSummary,
  updateOperatorSchema,
} from "../../shared/requests";
import type { Guard } from "../auth/guard";
import { HttpError, parseInput } from "../http/errors";
import type { AccountStore, Operator } from "../storage/account-store";
import type { AuditStore } from "../storage/audit-store";
import type { Admin } from "./admin";
import { decodeAuditCursor, encodeAuditCursor } from "./audit";

function summary(operator: Operator): OperatorSummary {
  return { username: operator.username, role: operator.role, disabled: operator.disabled };
}

/** What only admins may do: operators, API tokens and the audit log. Every change is audited (by `Admin`). */
export function adminRoutes(
  admin: Admin,
  guard: Guard,
  storage: Pick<AccountStore, "listOperators" | "listTokens"> & Pick<AuditStore, "listAudit">,
): Router {
  const router = Router();

  router.get("/api/operators", async (req, res) => {
    await guard.requireRole(req, ["admin"]);
    res.json((await storage.listOperators()).map(summary));
  });

  router.post("/api/operators", async (req, res) => {
    const principal = await guard.requireRole(req, ["admin"]);
    const { username, password, role } = parseInput(createOperatorSchema, req.body);
    if (!(await admin.createOperator(principal, username, password, role))) {
      throw new HttpError(409, "username_taken", `The username "${username}" is taken.`, {
        username: "is taken",
      });
    }
    res.status(201).json({ username, role });
  });

  router.patch("/api/operators/:username", async (req, res) => {
    const principal = await guard.requireRole(req, ["admin"]);
    const change = parseInput(updateOperatorSchema, req.body);
    // An admin who demotes or disables themselves could leave the desk without any admin.
    const self =
      principal.kind === "operator" && principal.username.toLowerCase() === req.params.username.toLowerCase();
    if (self && (change.role === "editor" || change.disabled === true)) {
      throw new HttpError(
        400,
        "cannot_change_self",
        "You cannot demote or disable yourself; ask another admin.",
      );
    }
    const updated = await admin.updateOperator(principal, req.params.username, {
      ...(change.role === undefined ? {} : { role: change.role }),
      ...(change.disabled === undefined ? {} : { disabled: change.disabled }),
      ...(change.password === undefined ? {} : { password: change.password }),
    });
    if (updated === null) throw new HttpError(404, "not_found", "No operator has this username.");
    res.json(summary(updated));
  });

  router.get("/api/tokens", async (req, res) => {
    await guard.requireRole(req, ["admin"]);
    const tokens: TokenSummary[] = (await storage.listTokens()).map(
      ({ id, name, role, revoked, createdAt }) => ({
        id,
        name,
        role,
        revoked,
        createdAt,
      }),
    );
    res.json(tokens);
  });

  router.post("/api/tokens", async (req, res) => {
    const principal = await guard.requireRole(req, ["admin"]);
    const { name, role } = parseInput(createTokenSchema, req.body);
    const { id, token } = await admin.createToken(principal, name, role);
    res.status(201).json({ id, name, role, token });
  });

  router.delete("/api/tokens/:id", async (req, res) => {
    const principal = await guard.requireRole(req, ["admin"]);
    if (!(await admin.revokeToken(principal, req.params.id)))
      throw new HttpError(404, "not_found", "No live token has this id.");
    res.status(204).end();
  });

  router.get("/api/audit", async (req, res) => {
    await guard.requireRole(req, ["admin"]);
    const { limit, before, actor, action, target } = parseInput(auditQuerySchema, req.query, "query");
    const after = before === undefined ? undefined : decodeAuditCursor(before);
    if (after === null) {
      throw new HttpError(400, "invalid_input", "The cursor is not one this server gave out.", {
        before: "must be a nextCursor from an earlier page",
      });
    }
    const records = await storage.listAudit({ limit: limit + 1, after, actor, action, target });
    const shown = records.slice(0, limit);
    const last = shown.at(-1);
    const page: AuditPage = {
      entries: shown.map(({ position, ...entry }) => ({
        id: `${position.origin === 1 ? "audit" : "change"}-${position.ord}`,
        ...entry,
      })),
      nextCursor: records.length > limit && last !== undefined ? encodeAuditCursor(last.position) : null,
    };
    res.json(page);
  });

  return router;
}
