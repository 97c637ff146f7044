// axe-core (the npm package, injected into the page through playwright-core)
// for every e2e file: one definition of what counts as a violation.
import { createRequire } from 'node:module';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * axe-core's serious and critical violations of the page, one line each;
 * `always` names rules reported whatever impact axe gives them (for
 * example `heading-order`, which axe rates moderate).
 */
export async function axeViolations(page, { always = [] } = {}) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || always.includes(v.id))
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(', ')})`);
}
