import { useEffect, useRef, useState } from "react";
import type { Advice } from "./advice";
import { focusFirstInvalid } from "./fields";

/**
 * A form's field errors in plain words. Each refusal takes focus to the first field marked
 * invalid, so the operator lands where the work is and hears what to do there; a field touched
 * again loses its error until the next check.
 */
export function useFieldErrors() {
  const [errors, setErrors] = useState<Advice>({});
  // Counts refusals: each one moves focus, even when the errors are the same as the last time.
  const [refusals, setRefusals] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (refusals > 0) focusFirstInvalid(formRef.current);
  }, [refusals]);
  return {
    errors,
    formRef,
    refuse: (advice: Advice) => {
      setErrors(advice);
      setRefusals((count) => count + 1);
    },
    clear: () => setErrors({}),
    touch: (...names: string[]) =>
      setErrors((current) =>
        Object.fromEntries(
          // `image.alt` belongs to `image`.
          Object.entries(current).filter(([key]) => !names.includes(key.split(".")[0] ?? key)),
        ),
      ),
  };
}
