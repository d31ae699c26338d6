// Opens Orthanc Explorer's study page in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), waits for the "Ask MedVQA" panel's standing answers, types a question, and
// reads the answer the panel shows. Prints one JSON line; saves a screenshot of the page.
//
//   NODE_PATH=<dir>/node_modules node ask-panel.js ORTHANC_URL STUDY_ID QUESTION SCREENSHOT.png
'use strict';

const { chromium } = require('playwright-core');

const [orthanc, studyId, question, screenshot] = process.argv.slice(2);
if (!screenshot) {
  console.error('usage: node ask-panel.js ORTHANC_URL STUDY_ID QUESTION SCREENSHOT.png');
  process.exit(2);
}

async function texts(page, selector) {
  return page.$$eval(selector, (nodes) => nodes.map((n) => n.textContent.trim()));
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

    await page.fill('#medvqa-question', question);
    await page.click('#medvqa-ask');
    await page.waitForSelector('#medvqa-answer[data-state="answered"], #medvqa-answer[data-state="error"]');
    const result = {
      state: await page.getAttribute('#medvqa-answer', 'data-state'),
      answer: (await texts(page, '#medvqa-answer .medvqa-answer-text'))[0] || null,
      detail: (await texts(page, '#medvqa-answer .medvqa-answer-detail'))[0] || null,
      shown: (await page.textContent('#medvqa-answer')).trim(),
      standing,
      pageErrors,
    };
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
