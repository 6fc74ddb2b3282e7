import { Command, InvalidArgumentError } from 'commander';
import { LivelineError } from '../domain/errors.ts';
import { DatabaseUnavailable } from '../store/unavailable.ts';
import { ROLES, type Role } from '../domain/user.ts';
import { UserName } from '../domain/schemas.ts';
import { check } from '../domain/validate.ts';
import { createToken, listTokens, revokeToken } from '../services/tokens.ts';
import { duration, isPast, printTable } from './format.ts';
import { registerImportExport } from './commands/import-export.ts';
import { registerUsers } from './commands/users.ts';
import { withServices } from './session.ts';

/** The liveline command: newsroom administration on the same database as the server. */
const program = new Command('liveline')
  .description('Liveline: live pages for newsrooms')
  .showHelpAfterError();

function role(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  }
  return value as Role;
}

const token = program.command('token').description('API tokens');
token
  .command('create')
  .description(
    "create a token for a user (created if needed) with that user's role; the token is printed once, on the last line",
  )
  .requiredOption('--name <name>', 'the user\'s name, e.g. "Rich Preston"')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}: the user's role`, role)
  .option('--expires-in <duration>', 'e.g. 90d, 12h or 30m (default: never)', duration)
  .action(async (options: { name: string; role: Role; expiresIn?: number }) => {
    const name = check(UserName, options.name.trim(), '--name');
    await withServices(async (services) => {
      const created = await createToken(services, name, options.role, {
        ...(options.expiresIn !== undefined && { expiresInMs: options.expiresIn }),
      });
      const expiry = created.expiresAt ? `, expires ${created.expiresAt}` : '';
      console.error(
        `Token ${created.id} for ${created.user.name} (${created.user.role}${expiry}). It is shown once; keep it safe.`,
      );
      console.log(created.token);
    }, 'token.create');
  });

token
  .command('list')
  .description('list every token: id, user, role, created, last used, expires (never the secret)')
  .action(async () => {
    await withServices(async (services) => {
      const rows = (await listTokens(services)).map((t) => [
        t.id,
        t.userName,
        t.role,
        t.createdAt,
        t.lastUsedAt ?? 'never',
        t.expiresAt ?? 'never',
        t.revokedAt ? `revoked ${t.revokedAt}` : isPast(t.expiresAt) ? 'expired' : 'active',
      ]);
      printTable(['ID', 'NAME', 'ROLE', 'CREATED', 'LAST USED', 'EXPIRES', 'STATUS'], rows);
    });
  });

token
  .command('revoke')
  .description('revoke a token by its id (see `token list`): it is refused from then on')
  .argument('<id>', 'the token id')
  .action(async (id: string) => {
    await withServices(async (services) => {
      await revokeToken(services, id);
      console.log(`Revoked token ${id}.`);
    }, 'token.revoke');
  });

registerImportExport(program);
registerUsers(program, role);

try {
  await program.parseAsync();
} catch (error) {
  // Errors a user can act on are said plainly, without a stack trace.
  if (error instanceof LivelineError) {
    console.error(`error: ${error.message}`);
    process.exit(1);
  }
  if (error instanceof DatabaseUnavailable) {
    console.error(
      `error: ${error.message}\nCheck that the database is running and that DATABASE_URL names it.`,
    );
    process.exit(1);
  }
  throw error;
}
