// The engine's tidy-tree layout equals d3-hierarchy's `tree()` (default
// separation, size [1, 1]) on every Twitter15 tree, within 1e-12; siblings
// in the order of their rows in the canonical input, as `stratify` keeps
// them. Run by .ci/test with node's test runner: `node --test end2end/node/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stratify, tree } from 'd3-hierarchy';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', '..', 'server', 'tests', 'fixtures', 'twitter15');

test('tidy layout equals d3-hierarchy tree() on every Twitter15 tree', () => {
  const bin = process.env.SERVER_BIN;
  assert.ok(bin, 'SERVER_BIN names the server binary (.ci/test sets it)');
  const tmp = mkdtempSync(join(tmpdir(), 'wom-layout-'));
  try {
    const dataset = join(tmp, 'twitter15');
    mkdirSync(dataset);
    execFileSync('tar', ['xzf', join(fixtures, 'tree.tar.gz'), '-C', dataset]);
    copyFileSync(join(fixtures, 'label.txt'), join(dataset, 'label.txt'));
    const out = execFileSync(bin, ['cascade', 'layout', '--format', 'twitter15', dataset], {
      maxBuffer: 1 << 30,
      encoding: 'utf8',
    });
    const trees = out.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(trees.length, 1490);
    let nodes = 0;
    let exact = 0;
    let worst = 0;
    for (const t of trees) {
      const rows = t.ids.map((id, i) => ({ id, parentId: t.parent[i] < 0 ? null : t.ids[t.parent[i]] }));
      const root = tree()(stratify()(rows));
      const index = new Map(t.ids.map((id, i) => [id, i]));
      root.each((node) => {
        const i = index.get(node.id);
        const dx = Math.abs(node.x - t.x[i]);
        const dy = Math.abs(node.y - t.y[i]);
        worst = Math.max(worst, dx, dy);
        if (dx === 0 && dy === 0) exact++;
        nodes++;
      });
    }
    console.log(`# ${trees.length} trees, ${nodes} nodes; ${exact} bit-identical; largest difference ${worst}`);
    assert.ok(worst <= 1e-12, `largest coordinate difference ${worst}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
