import type { Command } from 'commander';
import { BylineRole, Email } from '../../domain/people-schemas.ts';
import { UserName } from '../../domain/schemas.ts';
import { check } from '../../domain/validate.ts';
import { ROLES, type Role } from '../../domain/user.ts';
import {
  findPersonByEmail,
  invitePerson,
  issueResetLink,
  linkUrl,
  listUsers,
} from '../../services/people.ts';
import { printTable } from '../format.ts';
import { withServices } from '../session.ts';

/**
 * `liveline user`: people who sign in to the desk. The first admin is made here; after that
 * admins invite from the desk. Liveline sends no e-mail: the one-time link is printed, alone
 * on the last line, for whoever runs the command to hand over.
 */
export function registerUsers(program: Command, role: (value: string) => Role): void {
  const user = program.command('user').description('people who sign in to the desk');

  user
    .command('create')
    .description(
      'create a person; prints the one-time link (valid 7 days) with which they set their password, alone on the last line',
    )
    .requiredOption('--email <email>', 'their e-mail, which they sign in with')
    .requiredOption('--name <name>', 'their name as bylines show it, e.g. "Katya Adler"')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, role)
    .option('--byline-role <text>', 'shown under their name, e.g. "Europe editor"', '')
    .action(async (options: { email: string; name: string; role: Role; bylineRole: string }) => {
      const input = {
        email: check(Email, options.email.trim(), '--email'),
        name: check(UserName, options.name.trim(), '--name'),
        role: options.role,
        bylineRole: check(BylineRole, options.bylineRole.trim(), '--byline-role'),
      };
      await withServices(async (services, config) => {
        const { user: made, link } = await invitePerson(services, null, input);
        console.error(
          `Created ${made.name} <${made.email}> (${made.role}). The link below sets their password; it works once, until ${link.expiresAt}.`,
        );
        console.log(linkUrl(config.publicUrl, link.token));
      }, 'user.invite');
    });

  user
    .command('list')
    .description('list every user: id, e-mail, name, role, status (never a password)')
    .action(async () => {
      await withServices(async (services) => {
        const rows = (await listUsers(services, null)).map((u) => [
          u.id,
          u.email ?? '(token only)',
          u.name,
          u.role,
          u.disabled ? 'disabled' : 'active',
        ]);
        printTable(['ID', 'EMAIL', 'NAME', 'ROLE', 'STATUS'], rows);
      });
    });

  user
    .command('reset-link')
    .description(
      'print a one-time link (valid 24 h) with which the person sets a new password, alone on the last line',
    )
    .requiredOption('--email <email>', 'their e-mail')
    .action(async (options: { email: string }) => {
      const email = check(Email, options.email.trim(), '--email');
      await withServices(async (services, config) => {
        const person = await findPersonByEmail(services, email);
        const link = await issueResetLink(services, null, person.id);
        console.error(
          `A password reset link for ${person.name}; it works once, until ${link.expiresAt}.`,
        );
        console.log(linkUrl(config.publicUrl, link.token));
      }, 'password.reset_link');
    });
}
