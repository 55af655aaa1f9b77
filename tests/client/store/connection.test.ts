import { describe, expect, it } from "vitest";
import { createDeskStore } from "../../../client/src/store";

describe("the connection slice", () => {
  it("starts connecting, with nothing known yet", () => {
    const state = createDeskStore().getState();
    expect(state.connection).toBe("connecting");
    expect(state.lastUpdateAt).toBeNull();
    expect(state.viewers).toBeNull();
    expect(state.topics).toEqual([]);
  });

  it("follows the connection through its states", () => {
    const store = createDeskStore();
    for (const state of ["live", "reconnecting", "offline", "live"] as const) {
      store.getState().setConnection(state);
      expect(store.getState().connection).toBe(state);
    }
  });

  it("keeps the reader count and the topics the server last sent", () => {
    const store = createDeskStore();
    store.getState().setViewers(12);
    store.getState().setTopics([{ slug: "world", name: "World" }]);
    store.getState().setViewers(0);
    expect(store.getState().viewers).toBe(0);
    expect(store.getState().topics).toEqual([{ slug: "world", name: "World" }]);
  });

  it("stamps the last update when a sync answers, by the store's clock", () => {
    const store = createDeskStore({ now: () => 42_000 });
    store.getState().beginSync();
    store.getState().finishSync({ seq: 0, epoch: "e1", changes: [] });
    expect(store.getState().lastUpdateAt).toBe(42_000);
  });

  it("tells one store's connection from another's", () => {
    const reader = createDeskStore();
    const other = createDeskStore();
    reader.getState().setConnection("offline");
    expect(other.getState().connection).toBe("connecting");
  });
});
