/** The BBC live page text format: `parse` reads a capture, `render` writes one. See README.md. */
export { parse } from './parse.ts';
export { render, toRenderInput } from './render.ts';
export { ParseError } from './parse-error.ts';
export { UNKNOWN_LINK_HREF } from '../../domain/blocks.ts';
export type {
  DroppedPost,
  ParseOptions,
  ParsedCapture,
  ParsedPost,
  RenderInput,
  RenderablePost,
} from './types.ts';
