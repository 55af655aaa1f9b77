import { useEffect } from "react";
import { Link, Route, Switch, useRoute } from "wouter";
import { sessionSchema } from "../../../shared/requests";
import { reconnect } from "../socket";
import { useStore, useStoreApi } from "../store";
import { AuditScreen } from "./AuditScreen";
import { noContent, useOperatorCall } from "./api";
import { Desk } from "./Desk";
import { forgetDraft } from "./draft";
import { EmbedScreen } from "./EmbedScreen";
import { ImportScreen } from "./ImportScreen";
import { IncomingScreen } from "./IncomingScreen";
import { Login } from "./Login";
import { OperatorsScreen } from "./OperatorsScreen";
import { PanelConnection } from "./PanelConnection";
import { Presence } from "./Presence";
import { SourcesScreen } from "./SourcesScreen";
import { TokensScreen } from "./TokensScreen";
import { TopicsScreen } from "./TopicsScreen";

const ADMIN_SCREENS = [
  { path: "/sources", label: "Sources" },
  { path: "/topics", label: "Topics" },
  { path: "/operators", label: "Operators" },
  { path: "/tokens", label: "API tokens" },
  { path: "/audit", label: "Audit log" },
] as const;

function NavLink({ path, label }: { path: string; label: string }) {
  const [active] = useRoute(path);
  return (
    <Link href={path} aria-current={active ? "page" : undefined}>
      {label}
    </Link>
  );
}

function AdminOnly({ children }: { children: React.ReactNode }) {
  const role = useStore((state) => state.session?.role);
  if (role !== "admin") {
    return (
      <p role="alert" className="notice">
        This screen is for admins.
      </p>
    );
  }
  return <>{children}</>;
}

/** `/admin`: the login form, or the panel for the logged-in operator. */
export function AdminApp() {
  const session = useStore((state) => state.session);
  const sessionState = useStore((state) => state.sessionState);
  const setSession = useStore((state) => state.setSession);
  const store = useStoreApi();
  const operatorCall = useOperatorCall();

  useEffect(() => {
    if (store.getState().sessionState !== "checking") return;
    operatorCall("GET", "/api/session", sessionSchema).then(
      (answer) => setSession({ ...answer.operator, csrfToken: answer.csrfToken }),
      () => setSession(null),
    );
  }, [store, operatorCall, setSession]);

  useEffect(() => {
    document.title = "Operator panel — livedesk";
  }, []);

  if (sessionState === "checking") return <p className="page">Checking your session…</p>;
  if (session === null) return <Login />;

  const logout = async () => {
    forgetDraft(session.username);
    await operatorCall("DELETE", "/api/session", noContent).catch(() => {});
    setSession(null);
    reconnect();
  };

  return (
    <>
      <a className="skip-link" href="#panel-main">
        Skip to the panel
      </a>
      <header className="masthead">
        <p className="brand">livedesk</p>
        <nav aria-label="Panel">
          <NavLink path="/" label="Desk" />
          <NavLink path="/import" label="Import" />
          <NavLink path="/incoming" label="Incoming" />
          <NavLink path="/embed" label="Embed" />
          {session.role === "admin" &&
            ADMIN_SCREENS.map((screen) => <NavLink key={screen.path} {...screen} />)}
          <a href="/">Reader view</a>
        </nav>
        <p className="who">
          {session.username} ({session.role}){" "}
          <button type="button" onClick={logout}>
            Log out
          </button>
        </p>
      </header>
      <main className="page panel" id="panel-main" tabIndex={-1}>
        <h1 className="sr-only">Operator panel</h1>
        <PanelConnection />
        <Presence />
        <Switch>
          <Route path="/">
            <Desk />
          </Route>
          <Route path="/import">
            <ImportScreen />
          </Route>
          <Route path="/incoming">
            <IncomingScreen />
          </Route>
          <Route path="/sources">
            <AdminOnly>
              <SourcesScreen />
            </AdminOnly>
          </Route>
          <Route path="/embed">
            <EmbedScreen />
          </Route>
          <Route path="/topics">
            <AdminOnly>
              <TopicsScreen />
            </AdminOnly>
          </Route>
          <Route path="/operators">
            <AdminOnly>
              <OperatorsScreen />
            </AdminOnly>
          </Route>
          <Route path="/tokens">
            <AdminOnly>
              <TokensScreen />
            </AdminOnly>
          </Route>
          <Route path="/audit">
            <AdminOnly>
              <AuditScreen />
            </AdminOnly>
          </Route>
          <Route>
            <h2>Page not found</h2>
            <p>
              <Link href="/">Go to the desk</Link>
            </p>
          </Route>
        </Switch>
      </main>
    </>
  );
}
