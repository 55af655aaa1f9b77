import type { StateCreator } from "zustand";
import type { PanelPresence } from "../../../shared/events";
import type { Role } from "../../../shared/requests";
import type { Store } from "./index";

export interface OperatorSession {
  username: string;
  role: Role;
  csrfToken: string;
}

/** `checking` until the server has said; `expired` when a call found the session gone. */
export type SessionState = "checking" | "anonymous" | "expired" | "active";

export interface PanelSlice {
  session: OperatorSession | null;
  sessionState: SessionState;
  operatorsOnline: PanelPresence["operators"];
  setSession(session: OperatorSession | null, state?: SessionState): void;
  setOperatorsOnline(operators: PanelPresence["operators"]): void;
}

export const createPanelSlice: StateCreator<Store, [], [], PanelSlice> = (set) => ({
  session: null,
  sessionState: "checking",
  operatorsOnline: [],
  setSession: (session, state) =>
    set({ session, sessionState: state ?? (session === null ? "anonymous" : "active") }),
  setOperatorsOnline: (operatorsOnline) => set({ operatorsOnline }),
});
