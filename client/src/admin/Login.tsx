import { type FormEvent, useRef, useState } from "react";
import { sessionSchema } from "../../../shared/requests";
import { reconnect } from "../socket";
import { useStore } from "../store";
import { lockoutMessage } from "./advice";
import { ApiError, useOperatorCall } from "./api";

/** The login form. After an expired session it says so; the draft in the composer is kept. */
export function Login() {
  const sessionState = useStore((state) => state.sessionState);
  const setSession = useStore((state) => state.setSession);
  const operatorCall = useOperatorCall();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
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
      // Back to the field to fill in: the empty one, or the password to type again.
      if (caught instanceof ApiError && (caught.status === 400 || caught.status === 401)) {
        (username.trim() === "" ? usernameRef : passwordRef).current?.focus();
      }
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
            ref={usernameRef}
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
            ref={passwordRef}
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
        <button type="submit" className="primary" aria-disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  );
}
