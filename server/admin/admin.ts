import type { Topic } from "../../shared/item";
import type { Role } from "../../shared/requests";
import { type Auth, authorName, mintToken, newOperator, type Principal } from "../auth/auth";
import { hashPassword } from "../auth/passwords";
import type { AccountStore, Operator } from "../storage/account-store";
import type { AdminChange, AdminStore } from "../storage/audit-store";

/** What an admin may change about an operator; at least one of them. */
export interface OperatorUpdate {
  role?: Role;
  disabled?: boolean;
  password?: string;
}

/**
 * The admins' changes to topics, operators and API tokens, beside `Timeline` for items: each is
 * written with its audit line in one transaction (`AdminStore.applyAdminChange`), so the log never
 * misses a change that was made nor records one that was not.
 */
export class Admin {
  constructor(
    private readonly store: AdminStore & Pick<AccountStore, "findOperatorByUsername" | "getOperator">,
    private readonly auth: Pick<Auth, "sessionsEnded">,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private apply(principal: Principal, change: AdminChange, target: string, detail = ""): Promise<boolean> {
    return this.store.applyAdminChange(change, {
      at: this.now().toISOString(),
      actor: authorName(principal),
      target,
      detail,
    });
  }

  /** False when the slug is taken. */
  createTopic(principal: Principal, topic: Topic): Promise<boolean> {
    return this.apply(principal, { action: "topic.created", topic }, topic.slug, topic.name);
  }

  /** False when there is no such topic. */
  renameTopic(principal: Principal, slug: string, name: string): Promise<boolean> {
    return this.apply(principal, { action: "topic.renamed", slug, name }, slug, name);
  }

  /** False when the username is taken. */
  async createOperator(
    principal: Principal,
    username: string,
    password: string,
    role: Role,
  ): Promise<boolean> {
    const operator = await newOperator(username, password, role);
    return this.apply(principal, { action: "operator.created", operator }, username, `role ${role}`);
  }

  /**
   * Changes an operator's role, disables or enables them, or sets a new password; null when there
   * is no such operator. Disabling and a new password end every session the operator has, in the
   * same transaction, so the change holds at once.
   */
  async updateOperator(
    principal: Principal,
    username: string,
    update: OperatorUpdate,
  ): Promise<Operator | null> {
    const operator = await this.store.findOperatorByUsername(username);
    if (operator === null) return null;
    const endSessions = update.disabled === true || update.password !== undefined;
    const what = [
      update.role === undefined ? "" : `role ${update.role}`,
      update.disabled === undefined ? "" : update.disabled ? "disabled" : "enabled",
      update.password === undefined ? "" : "password reset",
    ].filter((part) => part !== "");
    const applied = await this.apply(
      principal,
      {
        action: "operator.updated",
        operatorId: operator.id,
        change: {
          ...(update.role === undefined ? {} : { role: update.role }),
          ...(update.disabled === undefined ? {} : { disabled: update.disabled }),
          ...(update.password === undefined ? {} : { passwordHash: await hashPassword(update.password) }),
        },
        endSessions,
      },
      operator.username,
      what.join(", "),
    );
    if (!applied) return null;
    if (endSessions) this.auth.sessionsEnded({ operatorId: operator.id });
    return this.store.getOperator(operator.id);
  }

  /** Creates an API token. The token itself is returned here once and never stored. */
  async createToken(principal: Principal, name: string, role: Role): Promise<{ id: string; token: string }> {
    const { id, token, hash } = mintToken();
    await this.apply(
      principal,
      {
        action: "token.created",
        token: { id, name, role, hash, revoked: false, createdAt: this.now().toISOString() },
      },
      id,
      `${name} (${role})`,
    );
    return { id, token };
  }

  /** False when there is no such live token. */
  revokeToken(principal: Principal, id: string): Promise<boolean> {
    return this.apply(principal, { action: "token.revoked", tokenId: id }, id);
  }
}
