import { loadConfig, type Config } from '../config/config.ts';
import type { Role, User } from '../domain/user.ts';
import { openServices } from '../runtime.ts';
import { commitValue } from '../services/commit.ts';
import type { ServiceDeps } from '../services/deps.ts';

/** Runs a command against the same database the server uses, closing it afterwards. */
export async function withServices(
  work: (services: ServiceDeps, config: Config) => Promise<void>,
): Promise<void> {
  const config = loadConfig();
  const services = await openServices(config);
  try {
    await work(services, config);
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
