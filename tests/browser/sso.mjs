// Drives headless Chromium (Debian's package, through playwright-core)
// through an SSO login link the way an agent's browser would:
//
//   link → console page (session cookie set) → console again from the
//   cookie → logout link → login page → console refused → link refused
//
//   node sso.mjs LOGIN_URL AGENT_EMAIL
//
// Prints one line per step and exits non-zero at the first step that fails.
// CHROMIUM_PATH overrides /usr/bin/chromium.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [link, agentEmail] = process.argv.slice(2);
if (!link || !agentEmail) {
  console.error("usage: node sso.mjs LOGIN_URL AGENT_EMAIL");
  process.exit(2);
}

const args = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function check(condition, what) {
  if (!condition) throw new Error("FAILED: " + what);
  console.log("ok - " + what);
}

async function text(page, selector) {
  return (await page.locator(selector).textContent()) ?? "";
}

async function run(context) {
  const page = await context.newPage();
  const origin = new URL(link).origin;

  let response = await page.goto(link);
  check(response.status() === 200, `the link opens the console (HTTP ${response.status()})`);
  check((await text(page, "#agent-email")) === agentEmail, `the console shows ${agentEmail}`);
  check((await text(page, "#workbench")).length > 0, "the console shows the workbench");
  const cookies = await context.cookies(origin);
  const session = cookies.find((c) => c.name === "sobot_mock_session");
  check(session && session.httpOnly, "the browser holds an HttpOnly session cookie");

  response = await page.goto(origin + "/console/openAPI/home");
  check(response.status() === 200, "the console opens again from the cookie");
  check((await text(page, "#agent-email")) === agentEmail, "still the same agent");

  await Promise.all([page.waitForURL("**/console/login"), page.click("#logout")]);
  check(new URL(page.url()).pathname === "/console/login", "logout lands on the login page");
  check(await page.locator("#login").isVisible(), "the login page is shown");
  const left = await context.cookies(origin);
  check(!left.some((c) => c.name === "sobot_mock_session"), "logout removed the cookie");

  response = await page.goto(origin + "/console/openAPI/home");
  check(response.status() === 401, "the console is refused after logout");

  response = await page.goto(link);
  check(response.status() === 410, "the used link is refused (single use)");
  check((await text(page, "#error")).includes("already used"), "the page says it was used");
}

const userDataDir = mkdtempSync(join(tmpdir(), "sobot-mock-chromium-"));
let context;
let status = 0;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    args,
    // The mock's certificate is self-signed and made at start.
    ignoreHTTPSErrors: true,
  });
  await run(context);
  console.log("browser flow passed");
} catch (err) {
  console.error(err && err.message ? err.message : err);
  status = 1;
} finally {
  if (context) await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(status);
