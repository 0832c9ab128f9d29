// The map of the house (.dependency-cruiser.cjs) holds for the whole tree, and it does catch a wrong import.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const rules = require('../../.dependency-cruiser.cjs');
const root = path.resolve(__dirname, '../..');

async function cruiseTree(folders: string[], baseDir: string): Promise<ICruiseResult> {
  const result = await cruise(
    folders,
    { ...rules.options, baseDir, validate: true, ruleSet: { forbidden: rules.forbidden }, exclude: { path: `${rules.options.exclude.path}|\\.test\\.tsx?$` } },
    // WXT's `@/` alias, given here: dependency-cruiser reads tsconfig paths through the TypeScript API, which TypeScript 7 no longer has.
    { alias: { '@': baseDir } },
  );
  return result.output as ICruiseResult;
}

async function violations(folders: string[], baseDir: string): Promise<string[]> {
  const output = await cruiseTree(folders, baseDir);
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (cycle ${v.cycle.map((c) => c.name).join(' -> ')})` : ''}`);
}

describe('the import map', () => {
  it('holds for every file that ships and for the CLI', async () => {
    expect(await violations(['utils', 'components', 'entrypoints', 'cli'], root)).toEqual([]);
  });

  it('resolves every import of ours (an unresolved one would slip past the rules)', async () => {
    const output = await cruiseTree(['utils', 'components', 'entrypoints', 'cli'], root);
    const unresolved = output.modules.flatMap((m) =>
      m.dependencies.filter((d) => d.couldNotResolve && /^(\.|@\/)/.test(d.module)).map((d) => `${m.source} -> ${d.module}`),
    );
    expect(output.modules.length).toBeGreaterThan(60);
    expect(unresolved).toEqual([]);
  });

  describe('catches', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'import-map-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    };
    write('utils/bundle/a.ts', "import type { B } from './b';\nexport type A = B | 1;\n");
    write('utils/bundle/b.ts', "import type { A } from './a';\nexport type B = A[];\n");
    write('utils/background/service.ts', 'export const service = 1;\n');
    write('utils/token/reaches-up.ts', "import { service } from '../background/service';\nexport const x = service;\n");
    write('components/popup/Writes.tsx', "import { service } from '@/utils/background/service';\nexport const y = service;\n");
    write('entrypoints/popup.ts', 'export const z = 1;\n');
    write('components/popup/tokens/TokenRow.tsx', 'export const t = 1;\n');
    write('components/popup/tokens/UsesOwnTab.tsx', "import { t } from './TokenRow';\nexport const u = t;\n");
    write('components/popup/bundles/ReachesTokens.tsx', "import { t } from '../tokens/TokenRow';\nexport const v = t;\n");
    write('utils/shared/uses-entry.ts', "import { z } from '../../entrypoints/popup';\nexport const w = z;\n");

    it('a type-only cycle, a domain reaching the background, a component reaching it, an import of an entry file, one popup tab reaching into another', async () => {
      const found = await violations(['utils', 'components', 'entrypoints'], dir);
      expect(found.some((v) => v.startsWith('no-circular: utils/bundle/'))).toBe(true);
      expect(found).toContain('domain-stays-off-the-browser: utils/token/reaches-up.ts -> utils/background/service.ts');
      expect(found).toContain('components-stay-off-the-background: components/popup/Writes.tsx -> utils/background/service.ts');
      expect(found).toContain('nothing-imports-entrypoints: utils/shared/uses-entry.ts -> entrypoints/popup.ts');
      expect(found).toContain('popup-tabs-share-only-shared: components/popup/bundles/ReachesTokens.tsx -> components/popup/tokens/TokenRow.tsx');
      expect(found.filter((v) => v.includes('UsesOwnTab'))).toEqual([]);
    });
  });
});
