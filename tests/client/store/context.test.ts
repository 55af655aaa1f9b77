import { createElement, type FunctionComponent } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SearchBox } from "../../../client/src/components/SearchBox";
import { TopicFilter } from "../../../client/src/components/TopicFilter";
import { createDeskStore, type DeskStore, StoreProvider } from "../../../client/src/store";
import { searchFromFilter } from "../../../client/src/store/filter";
import { FILTER_TOPICS_MAX } from "../../../shared/limits";

/** The HTML a component renders reading `store` through the provider, as the page does. */
function renderWith(store: DeskStore, component: FunctionComponent): string {
  return renderToStaticMarkup(createElement(StoreProvider, { store }, createElement(component)));
}

describe("the store, provided to the page's components", () => {
  // A server render reads each store's initial state (zustand's server snapshot), which the
  // factory sets from its options: enough to tell which store a component reads.
  it("is the one each component reads, so two pages with two stores show two filters", () => {
    const filtered = createDeskStore({ search: "?topic=world&q=flood" });
    const unfiltered = createDeskStore();

    expect(renderWith(filtered, SearchBox)).toContain('value="flood"');
    expect(renderWith(unfiltered, SearchBox)).toContain('value=""');
    expect(renderWith(filtered, TopicFilter)).toMatch(/aria-pressed="false"[^>]*>All topics</);
    expect(renderWith(unfiltered, TopicFilter)).toMatch(/aria-pressed="true"[^>]*>All topics</);
  });

  it("tells the reader when the address named more topics than a filter holds", () => {
    const asked = FILTER_TOPICS_MAX + 3;
    const search = searchFromFilter({ topics: Array.from({ length: asked }, (_, i) => `t${i}`), q: "" });
    expect(renderWith(createDeskStore({ search }), TopicFilter)).toContain(
      `The address named ${asked} topics; a filter holds at most ${FILTER_TOPICS_MAX}`,
    );
  });

  it("must be provided: a component outside the provider fails at once, saying why", () => {
    expect(() => renderToStaticMarkup(createElement(SearchBox))).toThrow(/StoreProvider/);
  });
});
