import { useCallback, useEffect, useState } from "react";

/** Loads something for a screen and lets the screen load it again after a change. */
export function useLoad<T>(load: () => Promise<T>): {
  data: T | undefined;
  failed: boolean;
  reload: () => void;
} {
  const [data, setData] = useState<T>();
  const [failed, setFailed] = useState(false);
  const reload = useCallback(() => {
    load().then(
      (value) => {
        setData(value);
        setFailed(false);
      },
      () => setFailed(true),
    );
  }, [load]);
  useEffect(reload, [reload]);
  return { data, failed, reload };
}
