import { type FormEvent, useCallback, useState } from "react";
import { z } from "zod";
import {
  createOperatorSchema,
  type OperatorSummary,
  operatorSummarySchema,
  passwordSchema,
  type Role,
} from "../../../shared/requests";
import { useStore } from "../store";
import { adviceBySchema, adviceFromServer, namesOf, OPERATOR_WORDS } from "./advice";
import { ApiError, useOperatorCall } from "./api";
import { ConfirmDialog, type Question } from "./ConfirmDialog";
import { Field, fieldError } from "./fields";
import { useFieldErrors } from "./useFieldErrors";
import { useLoad } from "./useLoad";
import { useRevealTarget } from "./useRevealTarget";

/** A change that needs the admin's yes first: the question, what to send, and what to say once done. */
interface PendingChange extends Question {
  body: { role?: Role; disabled?: boolean; password?: string };
  done: string;
}

function roleChange(username: string, role: Role): PendingChange {
  return role === "admin"
    ? {
        title: `Make ${username} an admin?`,
        consequence: `${username} will be able to add, disable and promote operators, manage topics and API tokens, and read the audit log.`,
        confirm: `Make ${username} admin`,
        danger: false,
        body: { role },
        done: `${username} is now admin.`,
      }
    : {
        title: `Make ${username} an editor?`,
        consequence: `${username} will keep publishing and editing items, but will no longer manage operators, topics or API tokens, nor read the audit log.`,
        confirm: `Make ${username} editor`,
        danger: false,
        body: { role },
        done: `${username} is now editor.`,
      };
}

function disabling(username: string): PendingChange {
  return {
    title: `Disable ${username}?`,
    consequence: `${username} will be logged out at once, everywhere, and cannot log in, publish or edit until an admin enables them again. Their items stay as they are.`,
    confirm: `Disable ${username}`,
    danger: true,
    body: { disabled: true },
    done: `${username} is disabled.`,
  };
}

function passwordReset(username: string, password: string): PendingChange {
  return {
    title: `Reset the password of ${username}?`,
    consequence: `${username} will be logged out at once, everywhere, and can log in again only with the new password: tell them what it is.`,
    confirm: `Reset password of ${username}`,
    danger: true,
    body: { password },
    done: `New password set for ${username}; their sessions have ended.`,
  };
}

function OperatorRow({
  operator,
  onChange,
}: {
  operator: OperatorSummary;
  onChange: (message: string) => void;
}) {
  const me = useStore((state) => state.session?.username);
  const operatorCall = useOperatorCall();
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState<PendingChange | null>(null);
  const { errors, formRef, refuse, clear, touch } = useFieldErrors();
  const passwordError = fieldError(errors, "password");
  const self = me?.toLowerCase() === operator.username.toLowerCase();
  const patch = async (body: PendingChange["body"], done: string) => {
    try {
      await operatorCall(
        "PATCH",
        `/api/operators/${encodeURIComponent(operator.username)}`,
        operatorSummarySchema,
        body,
      );
      if (body.password !== undefined) setPassword("");
      onChange(done);
    } catch (caught) {
      const advice = caught instanceof ApiError ? adviceFromServer(caught.fields, OPERATOR_WORDS) : {};
      if (Object.keys(advice).length > 0) refuse(advice);
      else
        onChange(caught instanceof ApiError ? caught.message : "The change could not be saved; try again.");
    }
  };
  /** A new password ends the operator's sessions: checked first, then asked about. */
  const reset = (event: FormEvent) => {
    event.preventDefault();
    const advice = adviceBySchema(z.object({ password: passwordSchema }), { password }, OPERATOR_WORDS);
    if (Object.keys(advice).length > 0) {
      refuse(advice);
      return;
    }
    clear();
    setPending(passwordReset(operator.username, password));
  };
  return (
    <tr id={`operator-${operator.username}`} tabIndex={-1}>
      <th scope="row">{operator.username}</th>
      <td>
        <label className="sr-only" htmlFor={`role-${operator.username}`}>
          Role of {operator.username}
        </label>
        <select
          id={`role-${operator.username}`}
          value={operator.role}
          disabled={self}
          onChange={(event) => {
            // The select keeps showing the current role until the change is confirmed and saved.
            setPending(roleChange(operator.username, event.target.value === "admin" ? "admin" : "editor"));
          }}
        >
          <option value="editor">editor</option>
          <option value="admin">admin</option>
        </select>
      </td>
      <td>{operator.disabled ? "disabled" : "active"}</td>
      <td>
        {!self && (
          <button
            type="button"
            onClick={() =>
              operator.disabled
                ? void patch({ disabled: false }, `${operator.username} is enabled.`)
                : setPending(disabling(operator.username))
            }
          >
            {operator.disabled ? "Enable" : "Disable"}
            <span className="sr-only"> {operator.username}</span>
          </button>
        )}
        <form ref={formRef} onSubmit={reset} className="inline-form" noValidate>
          <label className="sr-only" htmlFor={`password-${operator.username}`}>
            New password for {operator.username}
          </label>
          <input
            id={`password-${operator.username}`}
            type="password"
            autoComplete="new-password"
            placeholder="New password"
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
              touch("password");
            }}
            aria-invalid={passwordError !== undefined}
            aria-describedby={passwordError === undefined ? undefined : `password-${operator.username}-error`}
          />
          <button type="submit">
            Reset password<span className="sr-only"> of {operator.username}</span>
          </button>
          {passwordError !== undefined && (
            <p id={`password-${operator.username}-error`} className="field-error">
              {passwordError}
            </p>
          )}
        </form>
        {pending !== null && (
          <ConfirmDialog
            question={pending}
            onClose={() => setPending(null)}
            onConfirm={() => {
              setPending(null);
              void patch(pending.body, pending.done);
            }}
          />
        )}
      </td>
    </tr>
  );
}

/** Operators: add one, change a role, disable, reset a password. */
export function OperatorsScreen() {
  const operatorCall = useOperatorCall();
  const load = useCallback(
    () => operatorCall("GET", "/api/operators", z.array(operatorSummarySchema)),
    [operatorCall],
  );
  const { data: operators, reload } = useLoad(load);
  useRevealTarget(operators !== undefined);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("editor");
  const { errors, formRef, refuse, clear, touch } = useFieldErrors();
  const [message, setMessage] = useState<string | null>(null);

  const refused = (advice: Record<string, string>) => {
    refuse(advice);
    setMessage(`Operator not added yet: check ${namesOf(advice)}.`);
  };

  const changed = (text: string) => {
    setMessage(text);
    reload();
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const advice = adviceBySchema(createOperatorSchema, { username, password, role }, OPERATOR_WORDS);
    if (Object.keys(advice).length > 0) {
      refused(advice);
      return;
    }
    try {
      await operatorCall("POST", "/api/operators", z.object({ username: z.string() }), {
        username,
        password,
        role,
      });
      clear();
      setUsername("");
      setPassword("");
      changed(`Added ${username} as ${role}.`);
    } catch (caught) {
      const advice = caught instanceof ApiError ? adviceFromServer(caught.fields, OPERATOR_WORDS) : {};
      if (Object.keys(advice).length > 0) refused(advice);
      else
        setMessage(
          caught instanceof ApiError ? caught.message : "The server could not be reached; try again.",
        );
    }
  };

  return (
    <section aria-labelledby="operators-heading">
      <h2 id="operators-heading">Operators</h2>
      <p role="status">{message}</p>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Role</th>
              <th scope="col">State</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(operators ?? []).map((operator) => (
              <OperatorRow key={operator.username} operator={operator} onChange={changed} />
            ))}
          </tbody>
        </table>
      </div>
      <h3>Add an operator</h3>
      <form ref={formRef} onSubmit={add} noValidate>
        <Field id="operator-username" label="Username" error={fieldError(errors, "username")}>
          {(describedBy, invalid) => (
            <input
              id="operator-username"
              autoComplete="off"
              value={username}
              onChange={(event) => {
                setUsername(event.target.value);
                touch("username");
              }}
              aria-describedby={describedBy}
              aria-invalid={invalid}
            />
          )}
        </Field>
        <Field
          id="operator-password"
          label="Password"
          error={fieldError(errors, "password")}
          hint="At least 10 characters."
        >
          {(describedBy, invalid) => (
            <input
              id="operator-password"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(event) => {
                setPassword(event.target.value);
                touch("password");
              }}
              aria-describedby={describedBy}
              aria-invalid={invalid}
            />
          )}
        </Field>
        <Field id="operator-role" label="Role" error={fieldError(errors, "role")}>
          {() => (
            <select
              id="operator-role"
              value={role}
              onChange={(event) => setRole(event.target.value === "admin" ? "admin" : "editor")}
            >
              <option value="editor">editor</option>
              <option value="admin">admin</option>
            </select>
          )}
        </Field>
        <button type="submit" className="primary">
          Add operator
        </button>
      </form>
    </section>
  );
}
