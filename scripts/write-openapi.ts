// Writes docs/openapi.json from the running app's schemas: `npm run openapi`.
import { writeFileSync } from 'node:fs';
import { buildApp } from '../src/app.ts';
import { MemoryBus } from '../src/bus/memory/memory-bus.ts';
import { serviceDeps } from '../src/services/deps.ts';
import { connectSqlite } from '../src/store/sqlite/connect.ts';

const store = await connectSqlite(':memory:');
const app = await buildApp(serviceDeps({ store, bus: new MemoryBus() }));
writeFileSync('docs/openapi.json', `${JSON.stringify(app.swagger(), null, 2)}\n`);
await app.close();
await store.close();
console.log('wrote docs/openapi.json');
