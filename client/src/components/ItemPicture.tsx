import type { ItemImage } from "../../../shared/item";
import { mediaPath, mediaSrcset } from "../../../shared/media";

/**
 * An item's picture: every served width in `srcset` so the browser picks what the screen needs,
 * and the stored width and height as attributes, so its box has its size before the bytes come
 * and nothing below it moves when they do. The credit is shown, never only in the alt text.
 */
export function ItemPicture({ image, eager = false }: { image: ItemImage | null; eager?: boolean }) {
  if (image === null) return null;
  return (
    <figure className="item-picture">
      <img
        src={mediaPath(image.id, 640)}
        srcSet={mediaSrcset(image.id)}
        sizes="(min-width: 48rem) 44rem, 100vw"
        width={image.width}
        height={image.height}
        alt={image.alt}
        loading={eager ? "eager" : "lazy"}
        decoding="async"
        dir="auto"
      />
      {image.credit !== undefined && image.credit !== "" && (
        <figcaption dir="auto">Picture: {image.credit}</figcaption>
      )}
    </figure>
  );
}
