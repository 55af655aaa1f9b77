import { lazy, Suspense, useEffect } from "react";
import { Route, Switch, useLocation } from "wouter";
import { fetchTopics } from "./api";
import { Dashboard } from "./pages/Dashboard";
import { ItemPage } from "./pages/ItemPage";
import { NotFound } from "./pages/NotFound";
import { connect, followSurface } from "./socket";
import { useStore, useStoreApi } from "./store";

// Readers never download the operator panel.
const AdminApp = lazy(() => import("./admin/AdminApp").then((module) => ({ default: module.AdminApp })));

export function App() {
  const store = useStoreApi();
  const setTopics = useStore((state) => state.setTopics);
  const [location] = useLocation();
  useEffect(() => connect(store), [store]);
  useEffect(() => followSurface(location), [location]);
  useEffect(() => {
    fetchTopics().then(setTopics, () => {});
  }, [setTopics]);

  return (
    <Switch>
      <Route path="/" component={Dashboard} />
      <Route path="/items/:id">{(params) => <ItemPage id={params.id} />}</Route>
      <Route path="/admin" nest>
        <Suspense fallback={<p className="page">Loading the operator panel…</p>}>
          <AdminApp />
        </Suspense>
      </Route>
      <Route>
        <NotFound />
      </Route>
    </Switch>
  );
}
