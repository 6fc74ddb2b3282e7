import { loadConfig, type Config } from '../config/config.ts';
import type { Role, User } from '../domain/user.ts';
import { openServices } from '../runtime.ts';
import { asActor } from '../services/audit-context.ts';
import { commitValue } from '../services/commit.ts';
import type { ServiceDeps } from '../services/deps.ts';

/**
 * Runs a command against the same database the server uses, closing it afterwards. A command
 * that writes names its audit action: its commits are recorded as the system actor `cli`
 * (whoever runs the command has the server's own access; ADR 0019).
 */
export async function withServices(
  work: (services: ServiceDeps, config: Config) => Promise<void>,
  audit?: string,
): Promise<void> {
  const config = loadConfig();
  const services = await openServices(config);
  try {
    if (audit === undefined) await work(services, config);
    else await asActor({ kind: 'system', name: 'cli' }, audit, () => work(services, config));
  } finally {
    await services.close();
  }
}

/** The name under which the command line acts: someone at the server's own console. */
const CONSOLE_USER = 'Liveline console';

/** The user the CLI acts as. Whoever can run it can read the database file anyway. */
export async function systemUser(services: ServiceDeps, role: Role): Promise<User> {
  return commitValue(services, async ({ tx }) => {
    const existing = await tx.findUserByName(CONSOLE_USER);
    if (!existing) return tx.insertUser(CONSOLE_USER, role);
    return existing.role === role ? existing : tx.updateUserRole(existing.id, role);
  });
}
