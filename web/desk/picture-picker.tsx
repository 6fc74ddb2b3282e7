import type { Ref } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { imageFiles } from './media-upload.ts';

/**
 * Where a picture is chosen at the desk (ADR 0020): drop it here, or "Choose" one from the
 * files, or "Take a photo" with a phone's camera (`capture=environment`). The composer's
 * picture form and the lead picture of Page settings both use it; pasting is handled by
 * whatever holds it (the composer's body, the lead media fieldset).
 */
export function PictureDropzone(props: {
  /** The inputs' ids: `${prefix}-file` and `${prefix}-camera`. */
  prefix: string;
  multiple?: boolean;
  onFiles: (files: File[]) => void;
  chooserRef?: Ref<HTMLInputElement>;
}) {
  const noun = props.multiple ? 'pictures' : 'a picture';
  const take = (input: HTMLInputElement) => {
    props.onFiles(imageFiles(input.files));
    input.value = '';
  };
  return (
    <div
      class="dropzone"
      onDragOver={(event) => event.preventDefault()}
      onDrop={(event) => {
        event.preventDefault();
        props.onFiles(imageFiles(event.dataTransfer?.files));
      }}
    >
      <p>Drop {noun} here, paste from the clipboard, or:</p>
      <label class="button button--small" for={`${props.prefix}-file`}>
        Choose {noun}
      </label>
      <input
        id={`${props.prefix}-file`}
        ref={props.chooserRef}
        class="visually-hidden"
        type="file"
        accept="image/*"
        multiple={props.multiple ?? false}
        onChange={(event) => take(event.currentTarget)}
      />
      <label class="button button--small" for={`${props.prefix}-camera`}>
        Take a photo
      </label>
      <input
        id={`${props.prefix}-camera`}
        class="visually-hidden"
        type="file"
        accept="image/*"
        capture="environment"
        onChange={(event) => take(event.currentTarget)}
      />
    </div>
  );
}

/**
 * A chosen file's preview, as a data: URL (the desk's CSP allows data: images, not blob:).
 */
export function FilePreview({ file }: { file: File }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    const reader = new FileReader();
    reader.onload = () => setSrc(typeof reader.result === 'string' ? reader.result : null);
    reader.readAsDataURL(file);
    return () => reader.abort();
  }, [file]);
  return src ? <img class="picture-draft__preview" src={src} alt="" /> : null;
}
