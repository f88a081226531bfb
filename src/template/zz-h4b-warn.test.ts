import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { it } from 'vitest';
import { parseSource } from '/work/main/src/template/source.js';
import { Template } from '/work/main/src/template/template.js';
it('warnings', () => {
  for (const base of ['/work/shared/conformance/hot']) {
    for (const d of readdirSync(base)) {
      const f = `${base}/${d}/template.yaml`;
      if (!existsSync(f)) continue;
      try {
        const t = Template.load(parseSource(readFileSync(f, 'utf8')));
        for (const w of t.warnings) console.log(d, w.type, w.path, w.message, w.hint ?? '');
      } catch {}
    }
  }
});
