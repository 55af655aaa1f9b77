import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { keepForOffline } from "./offline";
import { loadSavedView } from "./persist";
import { createDeskStore, StoreProvider } from "./store";
import "./styles.css";

const root = document.getElementById("root");
if (root !== null) {
  // One store for the tab: the dashboard, the permalink and the operator panel share the timeline.
  const store = createDeskStore({ view: loadSavedView(), search: window.location.search });
  createRoot(root).render(
    <StrictMode>
      <StoreProvider store={store}>
        <App />
      </StoreProvider>
    </StrictMode>,
  );
}
keepForOffline();
