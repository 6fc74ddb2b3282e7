/** The page schemas live in the domain, shared with the CLI and the importer. */
export { NewPageBody, PageEditBody } from '../../domain/schemas.ts';
