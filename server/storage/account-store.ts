import type { Role } from "../../shared/requests";

export interface Operator {
  id: string;
  username: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
}

export interface StoredSession {
  idHash: string;
  operatorId: string;
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
}

export interface StoredToken {
  id: string;
  name: string;
  role: Role;
  hash: string;
  revoked: boolean;
  createdAt: string;
}

/**
 * Operators, their sessions and the API tokens: what `Auth` reads to tell who is calling. An
 * admin's changes to operators and tokens go through `AdminStore.applyAdminChange`, with their
 * audit line; creating here is not audited (the first admin at start, tests).
 */
export interface AccountStore {
  countOperators(): Promise<number>;
  /** False when the username is taken. */
  createOperator(operator: Operator): Promise<boolean>;
  /** Usernames match regardless of case. */
  findOperatorByUsername(username: string): Promise<Operator | null>;
  getOperator(id: string): Promise<Operator | null>;
  listOperators(): Promise<Operator[]>;

  createSession(session: StoredSession): Promise<void>;
  findSession(idHash: string): Promise<StoredSession | null>;
  touchSession(idHash: string, lastSeenAt: string): Promise<void>;
  deleteSession(idHash: string): Promise<void>;

  createToken(token: StoredToken): Promise<void>;
  findTokenByHash(hash: string): Promise<StoredToken | null>;
  listTokens(): Promise<StoredToken[]>;
}
