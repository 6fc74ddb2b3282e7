/**
 * How one database spells the column types that differ between SQLite and PostgreSQL. The
 * store's SQL is shared; only these conversions and the column types of the migrations vary.
 */
export interface Codec {
  readonly dialect: 'sqlite' | 'postgres';
  readonly columnTypes: {
    json: 'text' | 'jsonb';
    time: 'text' | 'timestamptz';
    bool: 'integer' | 'boolean';
  };
  writeJson(value: unknown): string;
  readJson(value: unknown): unknown;
  writeBool(value: boolean): boolean | number;
  readBool(value: unknown): boolean;
  readTime(value: unknown): string;
}
