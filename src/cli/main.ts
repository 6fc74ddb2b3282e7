import { Command, InvalidArgumentError } from 'commander';
import { LivelineError } from '../domain/errors.ts';
import { ROLES, type Role } from '../domain/user.ts';
import { UserName } from '../domain/schemas.ts';
import { check } from '../domain/validate.ts';
import { createToken } from '../services/tokens.ts';
import { registerImportExport } from './commands/import-export.ts';
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
    'create a token for a user (created if needed); the token is printed once, on the last line',
  )
  .requiredOption('--name <name>', 'the user\'s name, e.g. "Rich Preston"')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, role)
  .action(async (options: { name: string; role: Role }) => {
    const name = check(UserName, options.name.trim(), '--name');
    await withServices(async (services) => {
      const { user, token } = await createToken(services, name, options.role);
      console.error(`Token for ${user.name} (${user.role}). It is shown once; keep it safe.`);
      console.log(token);
    });
  });

registerImportExport(program);

try {
  await program.parseAsync();
} catch (error) {
  // Errors a user can act on are said plainly, without a stack trace.
  if (error instanceof LivelineError) {
    console.error(`error: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
