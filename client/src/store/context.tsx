import { createContext, type PropsWithChildren, useContext } from "react";
import { useStore as useZustandStore } from "zustand/react";
import type { DeskStore, Store } from "./index";

const StoreContext = createContext<DeskStore | null>(null);

/** Gives the components below it this store: the reader's dashboard and the operator panel read it. */
export function StoreProvider({ store, children }: PropsWithChildren<{ store: DeskStore }>) {
  return <StoreContext value={store}>{children}</StoreContext>;
}

/** The provided store itself, for event handlers and effects that read or act outside a render. */
export function useStoreApi(): DeskStore {
  const store = useContext(StoreContext);
  // A component rendered outside the provider would otherwise read nothing and never update.
  if (store === null) throw new Error("No livedesk store here: render the component inside <StoreProvider>.");
  return store;
}

/** Reads the provided store with a selector; the component renders again only when its answer changes. */
export function useStore<T>(selector: (state: Store) => T): T {
  return useZustandStore(useStoreApi(), selector);
}
