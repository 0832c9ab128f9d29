// The replica in a process of its own for the bench: real storage is another machine, and a replica in the
// bench's own process would slow the Playwright client that takes the measurements.
import { register } from 'tsx/esm/api';

register();
const { startReplica } = await import('../replica/server.ts');
const replica = await startReplica({ port: 0 });
process.stdout.write(`${JSON.stringify({ port: replica.port, chromiumArgs: replica.chromiumArgs })}\n`);
process.stdin.on('end', () => void replica.close().then(() => process.exit(0)));
process.stdin.resume();
