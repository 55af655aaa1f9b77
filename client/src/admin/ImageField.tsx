import { type ClipboardEvent, type DragEvent, useEffect, useRef, useState } from "react";
import { MEDIA_MAX_BYTES } from "../../../shared/limits";
import { MEDIA_TYPES, mediaPath } from "../../../shared/media";
import { apiErrorSchema, type MediaUploadAnswer, mediaUploadAnswerSchema } from "../../../shared/requests";
import { type DeskStore, useStoreApi } from "../store";
import { Field, fieldError } from "./fields";

/** A picture uploaded for a draft, with what the operator wrote for it. */
export interface PictureDraft {
  id: string;
  width: number;
  height: number;
  alt: string;
  /** "" when there is none. */
  credit: string;
}

type UploadState =
  | { kind: "idle" }
  | { kind: "uploading"; name: string; percent: number | null }
  | { kind: "uploaded"; name: string }
  | { kind: "failed"; text: string };

const MEGABYTE = 1024 * 1024;

function isMediaType(type: string): boolean {
  return MEDIA_TYPES.some((allowed) => allowed === type);
}

/** Why `file` will not be taken, before sending a byte; null when it may go. */
function refusalOf(file: File): string | null {
  if (!isMediaType(file.type))
    return `“${file.name}” is ${file.type === "" ? "not a picture" : `a ${file.type} file`}: choose a JPEG, PNG, WebP or AVIF picture.`;
  if (file.size > MEDIA_MAX_BYTES)
    return `“${file.name}” is ${(file.size / MEGABYTE).toFixed(1)} MB: a picture may be at most ${MEDIA_MAX_BYTES / MEGABYTE} MB.`;
  return null;
}

/**
 * Sends the picture's bytes to `POST /api/media` as the operator (CSRF token in its header). XHR,
 * not fetch: only XHR reports the upload's progress.
 */
function sendPicture(
  store: DeskStore,
  file: File,
  onProgress: (percent: number) => void,
): Promise<MediaUploadAnswer> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", "/api/media");
    request.setRequestHeader("content-type", file.type);
    request.setRequestHeader("accept", "application/json");
    const session = store.getState().session;
    if (session !== null) request.setRequestHeader("x-csrf-token", session.csrfToken);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    request.onerror = () => reject(new Error("The server could not be reached: try again."));
    request.onload = () => {
      let json: unknown = null;
      try {
        json = JSON.parse(request.responseText);
      } catch {
        // Not JSON (a proxy's error page): said below by its status.
      }
      if (request.status === 201) {
        const answer = mediaUploadAnswerSchema.safeParse(json);
        if (answer.success) resolve(answer.data);
        else reject(new Error("The server's answer could not be read: try again."));
        return;
      }
      if (request.status === 401) store.getState().setSession(null, "expired");
      const problem = apiErrorSchema.safeParse(json);
      reject(
        new Error(
          problem.success
            ? problem.data.error.message
            : request.status === 413
              ? `The picture is too large: at most ${MEDIA_MAX_BYTES / MEGABYTE} MB.`
              : `The server answered ${request.status}.`,
        ),
      );
    };
    request.send(file);
  });
}

/** The first picture file among a drop's or a paste's files, or the first file to refuse clearly. */
function pictureOf(files: FileList | undefined): File | null {
  const all = files === undefined ? [] : Array.from(files);
  return all.find((file) => isMediaType(file.type)) ?? all[0] ?? null;
}

export type PictureUpload = ReturnType<typeof usePictureUpload>;

/** What to tell an operator who sends the form while its picture is still on its way; null when it is not. */
export function uploadAdvice(upload: PictureUpload): Record<string, string> {
  return upload.state.kind === "uploading"
    ? { "image.id": "The picture is still uploading: send again once it is done." }
    : {};
}

/**
 * Uploads a picture the moment it is chosen, dropped or pasted, and tells how it goes. Only the
 * newest upload counts: a picture chosen while another is on its way replaces it.
 */
export function usePictureUpload(onUploaded: (image: PictureDraft) => void) {
  const store = useStoreApi();
  const [state, setState] = useState<UploadState>({ kind: "idle" });
  /** A file is being dragged over the form: the Image field says where it will go. */
  const [dragging, setDragging] = useState(false);
  const latest = useRef(0);
  const whenUploaded = useRef(onUploaded);
  useEffect(() => {
    whenUploaded.current = onUploaded;
  });

  const choose = (file: File) => {
    const refusal = refusalOf(file);
    latest.current += 1;
    if (refusal !== null) {
      setState({ kind: "failed", text: `Picture not uploaded: ${refusal}` });
      return;
    }
    const attempt = latest.current;
    setState({ kind: "uploading", name: file.name, percent: null });
    sendPicture(store, file, (percent) => {
      if (attempt === latest.current) setState({ kind: "uploading", name: file.name, percent });
    }).then(
      (answer) => {
        if (attempt !== latest.current) return;
        setState({ kind: "uploaded", name: file.name });
        whenUploaded.current({
          id: answer.id,
          width: answer.width,
          height: answer.height,
          alt: "",
          credit: "",
        });
      },
      (caught: unknown) => {
        if (attempt !== latest.current) return;
        const why = caught instanceof Error ? caught.message : String(caught);
        setState({ kind: "failed", text: `Picture not uploaded: ${why}` });
      },
    );
  };

  return {
    state,
    dragging,
    choose,
    /** Forgets any upload on its way, e.g. when the operator removes the picture. */
    reset: () => {
      latest.current += 1;
      setState({ kind: "idle" });
    },
    onDragOver: (event: DragEvent) => {
      if (event.dataTransfer.types.includes("Files")) {
        event.preventDefault();
        event.dataTransfer.dropEffect = "copy";
        setDragging(true);
      }
    },
    onDragLeave: (event: DragEvent) => {
      // Leaving a child for another child of the same form is no leaving.
      const to = event.relatedTarget;
      if (!(to instanceof Node && event.currentTarget.contains(to))) setDragging(false);
    },
    onDrop: (event: DragEvent) => {
      setDragging(false);
      const file = pictureOf(event.dataTransfer.files);
      if (file === null) return;
      event.preventDefault();
      choose(file);
    },
    onPaste: (event: ClipboardEvent) => {
      // Text pastes into the fields as usual; only a pasted file is taken as the picture. Text
      // copied from a word processor often comes with a picture of itself: the text wins.
      if (event.clipboardData.types.includes("text/plain")) return;
      const file = pictureOf(event.clipboardData.files);
      if (file === null) return;
      event.preventDefault();
      choose(file);
    },
  };
}

/**
 * The Image field: a file picker (or drop or paste on the form), the upload's progress and errors
 * in live regions, a thumbnail, the "Alt text" readers who cannot see it get (required to publish),
 * the "Credit" shown under it, and "Remove image".
 */
export function ImageField({
  idPrefix,
  image,
  onChange,
  upload,
  errors,
}: {
  idPrefix: string;
  image: PictureDraft | null;
  onChange: (image: PictureDraft | null) => void;
  upload: PictureUpload;
  errors: Record<string, string>;
}) {
  const picker = useRef<HTMLInputElement>(null);
  const { state } = upload;
  return (
    // A plain box, no fieldset and legend: on a phone the composer's preview must stay near.
    <div className={upload.dragging ? "image-field dragging" : "image-field"}>
      {upload.dragging && <p className="drop-hint">Drop the picture to upload it.</p>}
      <Field
        id={`${idPrefix}-image`}
        label="Image"
        error={fieldError(errors, "image.id") ?? errors.image}
        hint="JPEG, PNG, WebP or AVIF up to 10 MB; or drop or paste one on the form."
      >
        {(describedBy, invalid) => (
          <input
            id={`${idPrefix}-image`}
            ref={picker}
            type="file"
            accept={MEDIA_TYPES.join(",")}
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file !== undefined) upload.choose(file);
              // Choosing the same file again after removing it should upload it again.
              event.target.value = "";
            }}
            aria-describedby={describedBy}
            aria-invalid={invalid}
          />
        )}
      </Field>
      <p className="hint image-upload" role="status">
        {state.kind === "uploading" && (
          <>
            Uploading “{state.name}”…{" "}
            {state.percent !== null && (
              <progress max={100} value={state.percent} aria-label="Upload progress" />
            )}
          </>
        )}
        {state.kind === "uploaded" && image !== null && (
          <>
            Uploaded “{state.name}” ({image.width} × {image.height} pixels). Write its alt text.
          </>
        )}
      </p>
      <p className="field-error" role="alert">
        {state.kind === "failed" && state.text}
      </p>
      {image !== null && (
        <>
          {/* The thumbnail repeats what the alt text below says, so it is left out for screen readers. */}
          <img
            className="image-thumbnail"
            src={mediaPath(image.id, 320)}
            width={image.width}
            height={image.height}
            alt=""
          />
          <Field
            id={`${idPrefix}-image-alt`}
            label="Alt text"
            error={fieldError(errors, "image.alt")}
            hint="What the picture shows, for readers who cannot see it. Required to publish."
          >
            {(describedBy, invalid) => (
              <input
                id={`${idPrefix}-image-alt`}
                dir="auto"
                value={image.alt}
                onChange={(event) => onChange({ ...image, alt: event.target.value })}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                required
              />
            )}
          </Field>
          <Field id={`${idPrefix}-image-credit`} label="Credit" error={fieldError(errors, "image.credit")}>
            {(describedBy, invalid) => (
              <input
                id={`${idPrefix}-image-credit`}
                dir="auto"
                value={image.credit}
                onChange={(event) => onChange({ ...image, credit: event.target.value })}
                aria-describedby={describedBy}
                aria-invalid={invalid}
              />
            )}
          </Field>
          <button
            type="button"
            onClick={() => {
              upload.reset();
              onChange(null);
              picker.current?.focus();
            }}
          >
            Remove image
          </button>
        </>
      )}
    </div>
  );
}
