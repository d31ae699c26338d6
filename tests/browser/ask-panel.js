// Opens Orthanc Explorer's study page in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), waits for the "Ask MedVQA" panel's standing answers, types a question, and
// reads the answer the panel shows; then, when given, a question the model must refuse, and what the
// panel shows for it. Prints one JSON line; saves a screenshot of the page after each question
// (the second as SCREENSHOT with "-refused" before its extension).
//
//   NODE_PATH=<dir>/node_modules node ask-panel.js ORTHANC_URL STUDY_ID QUESTION SCREENSHOT.png [REFUSED_QUESTION]
'use strict';

const { chromium } = require('playwright-core');

const [orthanc, studyId, question, screenshot, refusedQuestion] = process.argv.slice(2);
// Every state the panel ends a question in.
const SETTLED = ['answered', 'unsupported', 'not_applicable', 'uncertain', 'error']
  .map((state) => `#medvqa-answer[data-state="${state}"]`).join(', ');
if (!screenshot) {
  console.error('usage: node ask-panel.js ORTHANC_URL STUDY_ID QUESTION SCREENSHOT.png');
  process.exit(2);
}

async function texts(page, selector) {
  return page.$$eval(selector, (nodes) => nodes.map((n) => n.textContent.trim()));
}

async function askOnPage(page, text) {
  // Cleared first, so the wait below sees this question's outcome and not the previous one's.
  await page.evaluate(() => document.getElementById('medvqa-answer').setAttribute('data-state', 'idle'));
  await page.fill('#medvqa-question', text);
  await page.click('#medvqa-ask');
  await page.waitForSelector(SETTLED);
  return {
    state: await page.getAttribute('#medvqa-answer', 'data-state'),
    answer: (await texts(page, '#medvqa-answer .medvqa-answer-text'))[0] || null,
    detail: (await texts(page, '#medvqa-answer .medvqa-answer-detail'))[0] || null,
    shown: (await page.textContent('#medvqa-answer')).trim(),
  };
}

async function main() {
  // --no-sandbox: the tests may run as root (CI containers), where Chromium's sandbox refuses.
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const pageErrors = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(60000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${orthanc}/app/explorer.html#study?uuid=${studyId}`);
    await page.waitForSelector('#medvqa-standing[data-state="done"]');
    const standing = await texts(page, '#medvqa-standing .medvqa-question');

    const result = Object.assign(await askOnPage(page, question), { standing, pageErrors });
    await page.screenshot({ path: screenshot, fullPage: true });
    if (refusedQuestion) {
      result.refused = await askOnPage(page, refusedQuestion);
      await page.screenshot({ path: screenshot.replace(/(\.[a-z]+)$/, '-refused$1'), fullPage: true });
    }
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
