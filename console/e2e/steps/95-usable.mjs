// Usable on a laptop and from the keyboard: every page of the menu at 1280 and 1440 px has no horizontal
// scroll bar and no unnamed control; a trend is built and run with the keyboard only, and a breakdown by an
// unknown property typed from the keyboard shows the API's error beside its field.
export const name = 'usable';

export async function run({ page, base, range, apiOk, check, sent, expectFieldError }) {
  const links = await page.locator('aside nav a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), label: a.textContent.trim() })));
  if (links.length < 5) throw new Error(`the menu should list the console's pages: ${JSON.stringify(links)}`);
  for (const width of [1280, 1440]) {
    await page.setViewportSize({ width, height: 900 });
    const wide = [];
    const unnamed = [];
    for (const link of links) {
      await page.goto(base + link.href);
      await page.locator('main h1').first().waitFor();
      const layout = await page.evaluate(() => {
        const name = (el) => (el.labels && el.labels.length > 0) || el.getAttribute('aria-label') || el.getAttribute('title')
          || (el.tagName === 'BUTTON' || el.tagName === 'A' ? el.textContent.trim() : '');
        const controls = [...document.querySelectorAll('main input, main select, main textarea, main button, main a[href]')]
          .filter((el) => el.offsetParent !== null && el.type !== 'hidden');
        return {
          overflow: document.documentElement.scrollWidth - window.innerWidth,
          unnamed: controls.filter((el) => !name(el)).map((el) => el.outerHTML.slice(0, 120)),
        };
      });
      if (layout.overflow > 0) wide.push(`${link.label} (+${layout.overflow}px)`);
      unnamed.push(...layout.unnamed.map((html) => `${link.label}: ${html}`));
    }
    check(`pages without a horizontal scroll bar at ${width}px`, wide, []);
    check(`controls without a label at ${width}px`, unnamed, []);
  }

  // The keyboard only: the menu link, the first series' event, Enter submits
  const top = await apiOk('/api/v1/sql', { sql: 'SELECT event_name, count() AS n FROM events GROUP BY event_name ORDER BY n DESC, event_name LIMIT 1' });
  const event = top.rows[0][0];
  await page.goto(`${base}/sql`);
  await page.locator('main h1').first().waitFor();
  const reached = await tabTo(page, '[data-testid="nav-trends"]');
  check('the menu is reachable with Tab', reached, true);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/insights\/trends/);
  check('a series event field is reachable with Tab', await tabTo(page, '[data-testid="series-event"]'), true);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(event);
  await page.keyboard.press('Enter');
  await page.getByTestId('trends-table').waitFor();
  check('the trend run from the keyboard', sent['/api/v1/insights/trends']?.series?.[0]?.event, event);

  // A malformed query typed from the keyboard: a breakdown by a property the project does not have
  check('the breakdown field is reachable with Tab', await tabTo(page, '[data-testid="breakdown"]'), true);
  const query = { ...sent['/api/v1/insights/trends'], breakdown: { property: 'no_such_property', limit: 10 } };
  await expectFieldError('/api/v1/insights/trends', query, 'breakdown', async () => {
    await page.keyboard.type('no_such_property');
    await page.keyboard.press('Enter');
  });
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** Presses Tab until the element matching `selector` has the focus (at most 80 times); whether it got there. */
async function tabTo(page, selector) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return true;
  }
  return false;
}
