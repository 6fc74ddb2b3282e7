/**
 * The two messages between an embed view and the page that frames it. Heights are not
 * secret, so the frame posts to any parent; the host believes only its widget's origin.
 */
export const HEIGHT = 'liveline:widget-height';
/** The host asks each frame for its height once the resize script has loaded. */
export const ASK = 'liveline:widget-ask';

export interface HeightMessage {
  type: typeof HEIGHT;
  height: number;
}

/** The tallest frame the host makes: a runaway page cannot take over the partner's layout. */
export const MAX_HEIGHT = 20_000;
