import type { StateCreator } from "zustand";
import type { Topic } from "../../../shared/item";
import type { Store } from "./index";

export type ConnectionState = "connecting" | "live" | "reconnecting" | "offline";

export interface ConnectionSlice {
  connection: ConnectionState;
  /** When the last change or sync answer arrived (ms since the epoch). */
  lastUpdateAt: number | null;
  viewers: number | null;
  topics: readonly Topic[];
  setConnection(state: ConnectionState): void;
  setViewers(viewers: number): void;
  setTopics(topics: readonly Topic[]): void;
}

export const createConnectionSlice: StateCreator<Store, [], [], ConnectionSlice> = (set) => ({
  connection: "connecting",
  lastUpdateAt: null,
  viewers: null,
  topics: [],
  setConnection: (connection) => set({ connection }),
  setViewers: (viewers) => set({ viewers }),
  setTopics: (topics) => set({ topics }),
});
