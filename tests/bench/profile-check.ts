/**
 * Where the bundle checker's time goes: `npx tsx tests/bench/profile-check.ts` checks a good bundle 300 times under
 * V8's sampling profiler and prints the share of time per package and per checker step (inclusive).
 */
import 'reflect-metadata';
import { checkBundle } from '../../utils/bundle/check-bundle';
import { makeBundleParts, zipBundle } from '../replica/make-bundle';
import { packageOf, profileCpu } from './cpu-profile';

const parts = await makeBundleParts({ dbId: '8d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6', dbName: 'bench', region: 'us-east-2' });
const good = await zipBundle(parts);
for (let i = 0; i < 50; i++) await checkBundle(good);

const profile = await profileCpu(async () => {
  for (let i = 0; i < 300; i++) await checkBundle(good);
}, 100);
const perCheck = profile.ms / 300;
const byPackage = profile.self((frame) => (frame.url ? (packageOf(frame) ?? frame.url.replace(/.*\/(utils\/)/, '$1')) : '(waiting on WebCrypto, idle, GC)'));
const byStep = profile.steps(/\/utils\/bundle\//);
const show = profile.show;
console.log(`checkBundle on a good bundle: ${perCheck.toFixed(2)} ms per check`);
show('by package (self time):', byPackage, 10);
show('by checker step (inclusive):', byStep, 12);
