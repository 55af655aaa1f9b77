import { useId, useState } from "react";
import type { Item } from "../../../shared/item";
import { formatExact } from "../components/RelativeTime";
import { useOperatorCall } from "./api";
import { fetchFullRevisions } from "./fullItems";

/**
 * A retracted row's text as stored, which readers no longer see: the summary, link and correction
 * of every version (and the headline, after a legal kill), read with the operator's session.
 */
export function RetractedText({ item }: { item: Item }) {
  const [versions, setVersions] = useState<Item[] | null>(null);
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const regionId = useId();
  const operatorCall = useOperatorCall();

  const toggle = () => {
    setOpen(!open);
    if (open || versions !== null) return;
    setProblem(null);
    fetchFullRevisions(operatorCall, item.id).then(setVersions, () =>
      setProblem("The retracted text could not be read; try again."),
    );
  };

  return (
    <div className="retracted-text">
      <button type="button" aria-expanded={open} aria-controls={regionId} onClick={toggle}>
        {open ? "Hide retracted text" : "Show retracted text"}
        <span className="sr-only"> of “{item.headline}”</span>
      </button>
      <section
        id={regionId}
        hidden={!open}
        aria-label={`Retracted text of “${item.headline}”`}
        className="retracted-versions"
      >
        <p>
          {item.withdrawn === true
            ? "Withdrawn (legal kill): readers see only “Withdrawn” and the reason."
            : "Retracted: readers see only the headline and the reason."}{" "}
          Reason: <span dir="auto">{item.retractionReason}</span>
        </p>
        {problem !== null && (
          <p role="alert" className="field-error">
            {problem}
          </p>
        )}
        {versions === null && problem === null && open && <p>Loading…</p>}
        {versions !== null && (
          <ol>
            {versions.map((version) => (
              <li key={version.version}>
                <p className="row-meta">
                  Version {version.version} · {formatExact(version.updatedAt)} · {version.author}
                </p>
                <p className="version-headline" dir="auto">
                  {version.headline}
                </p>
                {version.summary !== "" && (
                  <p className="summary" dir="auto">
                    {version.summary}
                  </p>
                )}
                {version.url !== null && <p className="row-meta">Link: {version.url}</p>}
                {version.correction !== null && (
                  <p className="row-meta" dir="auto">
                    Correction: {version.correction}
                  </p>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
