/** Signing in to Microsoft Entra ID failed; the message says what was tried and never holds a secret. */
export class CredentialError extends Error {
  override readonly name: string = "CredentialError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
