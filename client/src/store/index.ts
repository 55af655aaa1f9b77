import { create } from "zustand";
import { loadSavedView } from "../persist";
import { type ConnectionSlice, createConnectionSlice } from "./connection";
import { createFilterSlice, type FilterSlice } from "./filter";
import { createPanelSlice, type PanelSlice } from "./panel";
import { createTimelineSlice, type TimelineSlice } from "./timeline";

export type Store = TimelineSlice & FilterSlice & ConnectionSlice & PanelSlice;

/** The dashboard's one store, made of slices. Components read it with atomic selectors. */
export const useStore = create<Store>()((...a) => ({
  ...createTimelineSlice(loadSavedView())(...a),
  ...createFilterSlice(window.location.search)(...a),
  ...createConnectionSlice(...a),
  ...createPanelSlice(...a),
}));
