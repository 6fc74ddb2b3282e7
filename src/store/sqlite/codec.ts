import type { Codec } from '../sql/codec.ts';

/** SQLite keeps JSON and ISO 8601 instants as text, and booleans as 0 or 1. */
export const sqliteCodec: Codec = {
  dialect: 'sqlite',
  columnTypes: { json: 'text', time: 'text', bool: 'integer' },
  writeJson: (value) => JSON.stringify(value),
  readJson: (value) => JSON.parse(String(value)),
  writeBool: (value) => (value ? 1 : 0),
  readBool: (value) => value === 1,
  readTime: (value) => String(value),
};
