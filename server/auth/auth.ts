import { hash, randomBytes, randomUUID } from "node:crypto";
import type { Role } from "../../shared/requests";
import type { AccountStore, Operator } from "../storage/account-store";
import { decoyHash, hashPassword, verifyPassword } from "./passwords";

/** Who is calling: an operator logged in through the panel, or a newsroom tool with an API token. */
export type Principal =
  | {
      kind: "operator";
      id: string;
      username: string;
      role: Role;
      session: { idHash: string; csrfToken: string };
    }
  | { kind: "token"; id: string; name: string; role: Role };

/** The name written into an item's `author`. */
export function authorName(principal: Principal): string {
  return principal.kind === "operator" ? principal.username : principal.name;
}

/** Sessions end after this long without a request, and in any case after the absolute limit. */
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;

const TOKEN_PREFIX = "ldk_";

/**
 * Tokens and session ids are 256 random bits, so a fast hash is enough to keep them unreadable at
 * rest. Every call with a token hashes it: the one-shot `hash` makes no Hash object to do so.
 */
function sha256(secret: string): string {
  return hash("sha256", secret, "base64url");
}

function secret(): string {
  return randomBytes(32).toString("base64url");
}

/** A new API token: shown to its maker once; only its hash is stored. */
export function mintToken(): { id: string; token: string; hash: string } {
  const token = `${TOKEN_PREFIX}${secret()}`;
  return { id: randomUUID(), token, hash: sha256(token) };
}

/** A new, enabled operator with a fresh id; only the password's hash is kept. */
export async function newOperator(username: string, password: string, role: Role): Promise<Operator> {
  return { id: randomUUID(), username, role, passwordHash: await hashPassword(password), disabled: false };
}

/** Which sessions just ended: one (logout) or all of an operator's (disabled, new password). */
export type EndedSessions = { idHash: string } | { operatorId: string };

export class Auth {
  private readonly endedListeners = new Set<(ended: EndedSessions) => void>();

  /** Calls `listener` whenever sessions end, so that live connections opened with them close too. */
  onSessionsEnded(listener: (ended: EndedSessions) => void): void {
    this.endedListeners.add(listener);
  }

  /** Tells the listeners that sessions ended (here, or through an admin's change). */
  sessionsEnded(ended: EndedSessions): void {
    for (const listener of this.endedListeners) listener(ended);
  }

  constructor(
    private readonly storage: AccountStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Creates operator `admin` when there is none. Returns the password when it was generated. */
  async bootstrapAdmin(
    password: string | undefined,
  ): Promise<{ created: boolean; generatedPassword?: string }> {
    if ((await this.storage.countOperators()) > 0) return { created: false };
    const chosen = password ?? randomBytes(15).toString("base64url");
    await this.createOperator("admin", chosen, "admin");
    return password === undefined ? { created: true, generatedPassword: chosen } : { created: true };
  }

  /** False when the username is taken. Unaudited: the first admin at start, and tests; an admin's goes through `Admin`. */
  async createOperator(username: string, password: string, role: Role): Promise<boolean> {
    return this.storage.createOperator(await newOperator(username, password, role));
  }

  /**
   * Checks a username and password. An unknown username costs the same hash as a wrong password,
   * so the answer's timing does not tell which usernames exist.
   */
  async login(
    username: string,
    password: string,
  ): Promise<{ sessionId: string; principal: Principal } | null> {
    const operator = await this.storage.findOperatorByUsername(username);
    const valid = await verifyPassword(password, operator?.passwordHash ?? (await decoyHash()));
    if (operator === null || !valid || operator.disabled) return null;
    const sessionId = secret();
    const now = this.now().toISOString();
    const session = { idHash: sha256(sessionId), csrfToken: secret() };
    await this.storage.createSession({
      ...session,
      operatorId: operator.id,
      createdAt: now,
      lastSeenAt: now,
    });
    return {
      sessionId,
      principal: {
        kind: "operator",
        id: operator.id,
        username: operator.username,
        role: operator.role,
        session,
      },
    };
  }

  /** The operator of a session cookie, or null when the session is unknown, expired or its operator disabled. */
  async fromSession(sessionId: string): Promise<Principal | null> {
    const idHash = sha256(sessionId);
    const session = await this.storage.findSession(idHash);
    if (session === null) return null;
    const now = this.now().getTime();
    if (
      now - Date.parse(session.lastSeenAt) > SESSION_IDLE_MS ||
      now - Date.parse(session.createdAt) > SESSION_ABSOLUTE_MS
    ) {
      await this.storage.deleteSession(idHash);
      return null;
    }
    const operator = await this.storage.getOperator(session.operatorId);
    if (operator === null || operator.disabled) return null;
    // Writing last-seen on every request would make every read a write; a minute's precision is enough.
    if (now - Date.parse(session.lastSeenAt) > 60_000) {
      await this.storage.touchSession(idHash, new Date(now).toISOString());
    }
    return {
      kind: "operator",
      id: operator.id,
      username: operator.username,
      role: operator.role,
      session: { idHash, csrfToken: session.csrfToken },
    };
  }

  async logout(principal: Principal): Promise<void> {
    if (principal.kind !== "operator") return;
    await this.storage.deleteSession(principal.session.idHash);
    this.sessionsEnded({ idHash: principal.session.idHash });
  }

  /**
   * Creates an API token, unaudited (tests and tools set up with it; an admin's token is made
   * through `Admin`). The token itself is returned here once and never stored.
   */
  async createToken(name: string, role: Role): Promise<{ id: string; token: string }> {
    const { id, token, hash } = mintToken();
    await this.storage.createToken({
      id,
      name,
      role,
      hash,
      revoked: false,
      createdAt: this.now().toISOString(),
    });
    return { id, token };
  }

  async fromToken(token: string): Promise<Principal | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const stored = await this.storage.findTokenByHash(sha256(token));
    if (stored === null || stored.revoked) return null;
    return { kind: "token", id: stored.id, name: stored.name, role: stored.role };
  }
}
