import { describe, expect, it } from "vitest";
import { createDeskStore } from "../../../client/src/store";

const editor = { username: "maria", role: "editor" as const, csrfToken: "csrf-1" };

describe("the panel slice", () => {
  it("checks the session before showing either the login form or the panel", () => {
    const state = createDeskStore().getState();
    expect(state.session).toBeNull();
    expect(state.sessionState).toBe("checking");
    expect(state.operatorsOnline).toEqual([]);
  });

  it("is active with a session and anonymous without one", () => {
    const store = createDeskStore();
    store.getState().setSession(editor);
    expect(store.getState()).toMatchObject({ session: editor, sessionState: "active" });
    store.getState().setSession(null);
    expect(store.getState()).toMatchObject({ session: null, sessionState: "anonymous" });
  });

  it("says the session expired when a call found it gone, so the login form can say so", () => {
    const store = createDeskStore();
    store.getState().setSession(editor);
    store.getState().setSession(null, "expired");
    expect(store.getState()).toMatchObject({ session: null, sessionState: "expired" });
  });

  it("lists the operators in the panel and what each edits", () => {
    const store = createDeskStore();
    const operators = [
      { username: "maria", editing: null },
      { username: "tom", editing: "item-1" },
    ];
    store.getState().setOperatorsOnline(operators);
    expect(store.getState().operatorsOnline).toEqual(operators);
  });

  it("keeps one tab's session out of another store", () => {
    const panel = createDeskStore();
    const reader = createDeskStore();
    panel.getState().setSession(editor);
    expect(reader.getState().session).toBeNull();
  });
});
