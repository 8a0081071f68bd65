// The extension as a user sees it: real VS Code (code-server) in headless Chromium, the .vsix
// installed the way a user installs it. Driven by src/exthost.test.ts, which starts code-server and
// passes CS_URL, CS_FOLDER (holding sample.bt and expected-formatted.bt) and CS_SCREENSHOT.
// Prints one JSON object; exit 0 only when every step passed.
const { chromium } = require("playwright-core");
const fs = require("fs");
const path = require("path");

const FOLDER = process.env.CS_FOLDER;
const FILE = path.join(FOLDER, "sample.bt");
const SCREENSHOT = process.env.CS_SCREENSHOT;
const out = { ok: true, errors: [] };

async function step(name, fn) {
  const started = Date.now();
  try {
    out[name] = await fn();
  } catch (e) {
    out.ok = false;
    out.errors.push(`${name}: ${String(e.message).split("\n")[0]}`);
  }
  out[`${name}_ms`] = Date.now() - started;
}

(async () => {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const key = (k) => page.keyboard.press(k);
  const palette = async (command) => {
    await key("F1");
    await page.keyboard.type(command);
    await page.waitForTimeout(400);
    await key("Enter");
  };
  const goToLine = async (lineColumn) => {
    await key("Control+g");
    await page.keyboard.type(lineColumn);
    await key("Enter");
  };
  try {
    await step("workbench", async () => {
      await page.goto(`${process.env.CS_URL}/?folder=${FOLDER}`);
      await page.waitForSelector(".monaco-workbench .part.editor", { timeout: 90000 });
      return true;
    });
    await step("open", async () => {
      await page.click('.explorer-folders-view .monaco-list-row:has-text("sample.bt")', { timeout: 30000 });
      await page.waitForSelector(".editor-instance .monaco-editor .view-lines", { timeout: 20000 });
      await page.click(".editor-instance .monaco-editor .view-lines");
      return true;
    });
    await step("problems", async () => {
      await key("Control+Shift+M");
      const row = await page.waitForSelector('.markers-panel .monaco-list-row:has-text("is assigned but never read")', { timeout: 60000 });
      return (await row.innerText()).replace(/\s+/g, " ");
    });
    await step("statusBar", async () => {
      const item = await page.waitForSelector('.statusbar-item:has-text("bpftrace 0.27")', { timeout: 30000 });
      return (await item.innerText()).trim();
    });
    await step("hover", async () => {
      await page.click(".editor-instance .monaco-editor .view-lines");
      await goToLine("14:19"); // `nsecs` in `@start[tid] = nsecs;`
      await palette("Show or Focus Hover");
      const hover = await page.waitForSelector('.monaco-hover-content:has-text("timestamp")', { timeout: 20000 });
      return (await hover.innerText()).trim().split("\n")[0];
    });
    await step("format", async () => {
      await key("Escape");
      await palette("Format Document");
      await page.waitForTimeout(1000);
      await key("Control+s");
      const expected = fs.readFileSync(path.join(FOLDER, "expected-formatted.bt"), "utf8");
      for (let i = 0; i < 100 && fs.readFileSync(FILE, "utf8") !== expected; i++) await page.waitForTimeout(100);
      if (fs.readFileSync(FILE, "utf8") !== expected) throw new Error("the saved file is not the formatter's output");
      return true;
    });
    await step("completion", async () => {
      await key("Control+End");
      await page.keyboard.type("kprobe:f { @x = nse");
      await key("Control+Space");
      await page.waitForSelector('.suggest-widget .monaco-list-row:has-text("nsecs")', { timeout: 20000 });
      return page.$$eval(".suggest-widget .monaco-list-row .label-name", (els) => els.map((e) => e.textContent));
    });
  } finally {
    await page.screenshot({ path: SCREENSHOT });
    await browser.close();
  }
  console.log(JSON.stringify(out));
  process.exit(out.ok ? 0 : 1);
})().catch((e) => {
  console.error(String(e && e.message ? e.message : e));
  process.exit(2);
});
