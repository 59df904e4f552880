/**
 * TLS material for the emulator: a self-signed certificate that is its own trust anchor, so a client
 * can trust it through `NODE_EXTRA_CA_CERTS` without any other CA.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generate } from "selfsigned";

/** Certificate and key in PEM form, plus the file a client should trust. */
export interface TlsMaterial {
  cert: string;
  key: string;
  caPath: string;
}

/** Generates a self-signed certificate for localhost, 127.0.0.1 and ::1, valid for five years. */
export async function generateCertificate(): Promise<{ cert: string; key: string }> {
  const notBeforeDate = new Date(Date.now() - 24 * 3600 * 1000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 5 * 365 * 24 * 3600 * 1000);
  const pems = await generate([{ name: "commonName", value: "m365-backup-emulator" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    extensions: [
      // cA makes the certificate usable as its own trust anchor in NODE_EXTRA_CA_CERTS.
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** Writes a fresh certificate and key as `cert.pem` and `key.pem` into `dir` (created if missing). */
export async function writeCertificate(dir: string): Promise<{ certPath: string; keyPath: string }> {
  mkdirSync(dir, { recursive: true });
  const { cert, key } = await generateCertificate();
  const certPath = path.join(dir, "cert.pem");
  const keyPath = path.join(dir, "key.pem");
  writeFileSync(keyPath, key, { mode: 0o600 });
  writeFileSync(certPath, cert);
  return { certPath, keyPath };
}

/**
 * Loads the given certificate files; otherwise reuses or creates `cert.pem`/`key.pem` in `keepDir`
 * (so clients keep trusting the emulator across runs), or generates into a new temporary directory.
 */
export async function loadTlsMaterial(given?: { certPath: string; keyPath: string }, keepDir?: string): Promise<TlsMaterial> {
  const kept = keepDir ? { certPath: path.join(keepDir, "cert.pem"), keyPath: path.join(keepDir, "key.pem") } : undefined;
  const files =
    given ??
    (kept && existsSync(kept.certPath) && existsSync(kept.keyPath) ? kept : undefined) ??
    (await writeCertificate(keepDir ?? mkdtempSync(path.join(tmpdir(), "m365-backup-emulator-"))));
  return {
    cert: readFileSync(files.certPath, "utf8"),
    key: readFileSync(files.keyPath, "utf8"),
    caPath: files.certPath,
  };
}
