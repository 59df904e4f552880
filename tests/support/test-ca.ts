/** Paths of the test CA that `tests/support/run-jest.js` creates before jest starts. */
import path from "node:path";

/** The test certificate and key under `<repo>/.test-ca/`, which `NODE_EXTRA_CA_CERTS` trusts in `npm test`. */
export function testCa(): { certPath: string; keyPath: string } {
  const dir = path.resolve(__dirname, "../../.test-ca");
  return { certPath: path.join(dir, "cert.pem"), keyPath: path.join(dir, "key.pem") };
}
