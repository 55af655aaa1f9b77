import { type FormEvent, useState } from "react";
import { sessionSchema } from "../../../shared/requests";
import { reconnect } from "../socket";
import { useStore } from "../store";
import { ApiError, operatorCall } from "./api";

/** "Too many failed logins: try again in 15 minutes, at 16:45." from the server's Retry-After. */
export function lockoutMessage(retryAfterSeconds: number | undefined, now = new Date()): string {
  if (retryAfterSeconds === undefined) return "Too many failed logins: wait a few minutes, then try again.";
  const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  const wait =
    retryAfterSeconds < 60
      ? count(Math.max(1, Math.ceil(retryAfterSeconds)), "second")
      : count(Math.ceil(retryAfterSeconds / 60), "minute");
  const end = new Date(now.getTime() + retryAfterSeconds * 1000);
  const at = `${String(end.getHours()).padStart(2, "0")}:${String(end.getMinutes()).padStart(2, "0")}`;
  return `Too many failed logins: logging in is locked for ${wait}. Try again at ${at}.`;
}

/** The login form. After an expired session it says so; the draft in the composer is kept. */
export function Login() {
  const sessionState = useStore((state) => state.sessionState);
  const setSession = useStore((state) => state.setSession);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await operatorCall("POST", "/api/session", sessionSchema, { username, password });
      setSession({ ...answer.operator, csrfToken: answer.csrfToken });
      reconnect();
    } catch (caught) {
      setError(
        caught instanceof ApiError
          ? caught.status === 400
            ? "Enter your username and password."
            : caught.status === 429
              ? lockoutMessage(caught.retryAfterSeconds)
              : caught.message
          : "The server could not be reached. Check the connection and try again.",
      );
      setPassword("");
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="page login">
      <h1>Operator panel</h1>
      {sessionState === "expired" && (
        <p role="alert" className="notice">
          Your session has ended. Log in again: your draft is kept.
        </p>
      )}
      <form onSubmit={submit} noValidate aria-describedby={error === null ? undefined : "login-error"}>
        <div className="field">
          <label htmlFor="login-username">Username</label>
          <input
            id="login-username"
            autoComplete="username"
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">Password</label>
          <input
            id="login-password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            required
          />
        </div>
        {error !== null && (
          <p id="login-error" role="alert" className="field-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  );
}
