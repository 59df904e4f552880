/** Contract: the real HTTPS server (test CA and generated certificate), persistence across processes, and the CLI. */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { testCa } from "../support/test-ca";
import { MINUTE, RS, SP, START, latestPoints, startFrozen } from "./emulator-helpers";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request that trusts only `caPath`. */
function httpsRequest(
  url: string,
  options: { ca: string; method?: string; token?: string; body?: unknown; timeoutMs?: number },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      {
        method: options.method ?? "GET",
        ca: readFileSync(options.ca),
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
        },
        timeout: options.timeoutMs,
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body }));
      },
    );
    request.on("timeout", () => request.destroy(new Error("client timeout")));
    request.on("error", reject);
    request.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

describe("HTTPS server", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startFrozen();
  });
  afterAll(() => emulator.close());

  it("serves Graph over TLS on 127.0.0.1 with the test CA", async () => {
    expect(emulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.caPath).toBe(testCa().certPath);
    const answer = await httpsRequest(`${emulator.url}/v1.0${RS}`, { ca: emulator.caPath, token: emulator.accessToken });
    expect(answer.status).toBe(200);
    expect(answer.headers["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(answer.body)).toMatchObject({ value: [] });
  });

  it("creates over TLS and answers 401 without a token", async () => {
    const body = { siteRestoreArtifacts: [{ restorePoint: { id: latestPoints(emulator, 1)[0] }, destinationType: "inPlace" }] };
    const created = await httpsRequest(`${emulator.url}/v1.0${SP}`, {
      ca: emulator.caPath,
      method: "POST",
      token: emulator.accessToken,
      body,
    });
    expect(created.status).toBe(201);
    const refused = await httpsRequest(`${emulator.url}/beta${RS}`, { ca: emulator.caPath });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body).error.code).toBe("InvalidAuthenticationToken");
  });

  it("destroys the socket for a reset fault", async () => {
    emulator.faults.add({ reset: "before", times: 1 });
    await expect(httpsRequest(`${emulator.url}/v1.0${RS}`, { ca: emulator.caPath, token: emulator.accessToken })).rejects.toMatchObject({
      code: "ECONNRESET",
    });
  });

  it("leaves a timeout fault unanswered, and close() still completes", async () => {
    const hanging = await startFrozen();
    hanging.faults.add({ timeout: true });
    const pending = httpsRequest(`${hanging.url}/v1.0${RS}`, { ca: hanging.caPath, token: hanging.accessToken });
    const outcome = pending.then(
      () => "answered",
      (error: NodeJS.ErrnoException) => error.code,
    );
    while (hanging.journal.entries().length === 0) await new Promise((r) => setImmediate(r));
    await hanging.close();
    expect(await outcome).toBe("ECONNRESET");
  });

  it("generates its own self-signed certificate when none is given", async () => {
    const own = await startEmulator({ now: START, speed: 0 });
    try {
      expect(own.caPath).not.toBe(testCa().certPath);
      const answer = await httpsRequest(`${own.url}/v1.0${RS}`, { ca: own.caPath, token: own.accessToken });
      expect(answer.status).toBe(200);
      await expect(httpsRequest(`${own.url}/v1.0${RS}`, { ca: testCa().certPath, token: own.accessToken })).rejects.toThrow(
        /self.signed|unable to verify|certificate/i,
      );
    } finally {
      await own.close();
    }
  });
});

describe("persistence", () => {
  it("keeps sessions, the clock and token validity across emulator instances", async () => {
    const statePath = path.join(mkdtempSync(path.join(tmpdir(), "emulator-state-")), "state.json");
    const first = await startFrozen({ statePath });
    const body = { siteRestoreArtifacts: [{ restorePoint: { id: latestPoints(first, 1)[0] }, destinationType: "new" }] };
    const created = await httpsRequest(`${first.url}/v1.0${SP}`, { ca: first.caPath, method: "POST", token: first.accessToken, body });
    const id = JSON.parse(created.body).id as string;
    await httpsRequest(`${first.url}/v1.0${RS}/${id}/activate`, { ca: first.caPath, method: "POST", token: first.accessToken });
    first.clock.advance(3 * MINUTE);
    const token = first.accessToken;
    await first.close();
    expect(JSON.parse(readFileSync(statePath, "utf8"))).toMatchObject({
      version: 2,
      size: { sites: 12, users: 8, mailboxes: 8 },
      store: { sessions: [{ id }] },
    });

    const second = await startFrozen({ statePath });
    try {
      expect(second.clock.now().toISOString()).toBe(new Date(Date.parse(START) + 3 * MINUTE).toISOString());
      const read = await httpsRequest(`${second.url}/v1.0${RS}/${id}`, { ca: second.caPath, token });
      expect(read.status).toBe(200);
      expect(JSON.parse(read.body)).toMatchObject({ id, status: "active" });
      second.clock.advance(60 * MINUTE);
      expect(second.tenant.sessions()).toMatchObject([{ id, status: "completed" }]);
    } finally {
      await second.close();
    }
    // Without a given certificate, the generated one is kept beside the state file and reused.
    const third = await startEmulator({ statePath });
    const fourth = await startEmulator({ statePath });
    try {
      expect(third.tenant.sessions()).toMatchObject([{ id, status: "completed" }]);
      expect(third.caPath).toBe(`${statePath}.tls/cert.pem`);
      expect(fourth.caPath).toBe(third.caPath);
      expect((await httpsRequest(`${fourth.url}/v1.0${RS}/${id}`, { ca: third.caPath, token })).status).toBe(200);
    } finally {
      await third.close();
      await fourth.close();
    }
  });
});

describe("CLI", () => {
  let child: ReturnType<typeof spawn> | undefined;
  // A failed assertion must not leave the emulator process running.
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  /** Starts the CLI with these arguments and waits for its last line of output. */
  async function startCli(args: string[]): Promise<{ cli: ReturnType<typeof spawn>; stdout: string }> {
    const ca = testCa();
    child = spawn(
      process.execPath,
      [
        "-r",
        path.resolve(__dirname, "../support/ts-register.js"),
        path.resolve(__dirname, "../../emulator/cli.ts"),
        "--port",
        "0",
        "--speed",
        "0",
        "--cert",
        ca.certPath,
        "--key",
        ca.keyPath,
        ...args,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const cli = child;
    let stdout = "";
    cli.stdout!.setEncoding("utf8");
    await new Promise<void>((resolve, reject) => {
      cli.stdout!.on("data", (chunk: string) => {
        stdout += chunk;
        if (stdout.includes("AZURE_CLIENT_ID=") && stdout.endsWith("\n")) resolve();
      });
      cli.once("exit", (code) => reject(new Error(`CLI exited early with ${code}: ${stdout}`)));
    });
    return { cli, stdout };
  }

  it("prints URL, CA path, tenant, demo app and token, applies --fault, and stops on SIGTERM", async () => {
    const ca = testCa();
    const { cli, stdout } = await startCli([
      "--sites",
      "3",
      "--users",
      "2",
      "--mailboxes",
      "1",
      "--fault",
      JSON.stringify({ method: "GET", path: RS, status: 503, times: 1 }),
    ]);
    const url = /URL:\s+(\S+)/.exec(stdout)![1]!;
    const token = /Access token:\s+(\S+)/.exec(stdout)![1]!;
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(stdout).toContain(`CA certificate: ${ca.certPath}`);
    expect(stdout).toMatch(/Tenant id:\s+[0-9a-f-]{36}/);
    expect(stdout).toMatch(/Demo client id:\s+[0-9a-f-]{36}/);
    expect(stdout).toContain("Tenant:         4 sites, 3 users, 4 mailboxes, 3 protection policies");
    expect(stdout).toContain(
      `  export NODE_EXTRA_CA_CERTS=${ca.certPath}\n  export M365_BACKUP_GRAPH_ENDPOINT=${url}\n  export M365_BACKUP_ACCESS_TOKEN=${token}\n`,
    );

    expect((await httpsRequest(`${url}/v1.0${RS}`, { ca: ca.certPath, token })).status).toBe(503);
    expect((await httpsRequest(`${url}/v1.0${RS}`, { ca: ca.certPath, token })).status).toBe(200);
    const units = await httpsRequest(`${url}/v1.0/solutions/backupRestore/siteProtectionUnits`, { ca: ca.certPath, token });
    expect(JSON.parse(units.body).value).toHaveLength(3);

    const exited = new Promise<number | null>((resolve) => cli.once("exit", (code) => resolve(code)));
    cli.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("starts without protection policies with --no-seed-policies", async () => {
    const { cli, stdout } = await startCli(["--sites", "2", "--no-seed-policies"]);
    expect(stdout).toContain("Tenant:         3 sites, 9 users, 11 mailboxes, 0 protection policies");
    const exited = new Promise<number | null>((resolve) => cli.once("exit", (code) => resolve(code)));
    cli.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
