import { describe, expect, it } from "vitest";
import { createDeskStore } from "../../../client/src/store";
import { filterFromSearch, searchFromFilter } from "../../../client/src/store/filter";
import { FILTER_TOPICS_MAX } from "../../../shared/limits";

const slugs = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
const addressOf = (topics: readonly string[], q = "") => searchFromFilter({ topics: [...topics], q });

describe("the filter slice", () => {
  it("starts with no filter when the address names none", () => {
    const state = createDeskStore().getState();
    expect(state.filter).toEqual({ topics: [], q: "" });
    expect(state.topicsAsked).toBe(0);
  });

  it("reads the reader's topics and search words from the address, each topic once", () => {
    const state = createDeskStore({
      search: "?topic=world&topic=sport&topic=world&topic=&q=flood",
    }).getState();
    expect(state.filter).toEqual({ topics: ["world", "sport"], q: "flood" });
    expect(state.topicsAsked).toBe(0);
  });

  it("keeps the first topics a filter holds from an address that names more, and says how many were asked", () => {
    const asked = FILTER_TOPICS_MAX + 2;
    const state = createDeskStore({ search: addressOf(slugs(asked)) }).getState();
    expect(state.filter.topics).toEqual(slugs(FILTER_TOPICS_MAX));
    expect(state.topicsAsked).toBe(asked);
  });

  it("adds and removes a topic with each toggle, and forgets the over-long address", () => {
    const store = createDeskStore({ search: addressOf(slugs(FILTER_TOPICS_MAX + 1)) });
    store.getState().toggleTopic("t0");
    expect(store.getState().filter.topics).toEqual(slugs(FILTER_TOPICS_MAX).slice(1));
    expect(store.getState().topicsAsked).toBe(0);
    store.getState().toggleTopic("t0");
    expect(store.getState().filter.topics).toEqual([...slugs(FILTER_TOPICS_MAX).slice(1), "t0"]);
  });

  it("takes no topic beyond the limit", () => {
    const store = createDeskStore({ search: addressOf(slugs(FILTER_TOPICS_MAX)) });
    store.getState().toggleTopic("one-more");
    expect(store.getState().filter.topics).toEqual(slugs(FILTER_TOPICS_MAX));
  });

  it("clears the topics but keeps the search words, and the other way round", () => {
    const store = createDeskStore({ search: "?topic=world&q=flood" });
    store.getState().clearTopics();
    expect(store.getState().filter).toEqual({ topics: [], q: "flood" });
    store.getState().toggleTopic("sport");
    store.getState().setQuery("");
    expect(store.getState().filter).toEqual({ topics: ["sport"], q: "" });
  });

  it("takes a whole filter (the address changed) and what the address asked", () => {
    const store = createDeskStore();
    store.getState().setFilter({ topics: ["world"], q: "dam" }, 12);
    expect(store.getState().filter).toEqual({ topics: ["world"], q: "dam" });
    expect(store.getState().topicsAsked).toBe(12);
    store.getState().setFilter({ topics: [], q: "" });
    expect(store.getState().topicsAsked).toBe(0);
  });

  it("writes a filter back as the address it was read from", () => {
    const filter = { topics: ["world", "sport"], q: "flood warning" };
    expect(filterFromSearch(searchFromFilter(filter))).toEqual(filter);
    expect(searchFromFilter({ topics: [], q: "  " })).toBe("");
  });
});
