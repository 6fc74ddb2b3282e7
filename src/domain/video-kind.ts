/** The kinds of video file a video block plays with the browser's own player (ADR 0021). */
export type VideoKind = 'mp4' | 'hls';

/** The MIME type each kind is announced with in `<source type>`. */
export const VIDEO_TYPES: Record<VideoKind, string> = {
  mp4: 'video/mp4',
  hls: 'application/vnd.apple.mpegurl',
};

/** MP4 by `.mp4`, HLS by `.m3u8` at the end of the address's path; anything else is null. */
export function videoKind(src: string): VideoKind | null {
  const path = src.split(/[?#]/, 1)[0] ?? '';
  if (/\.mp4$/i.test(path)) return 'mp4';
  if (/\.m3u8$/i.test(path)) return 'hls';
  return null;
}
