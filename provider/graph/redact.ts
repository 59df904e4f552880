/** Replaces every known secret (client secret, tokens, passwords) in a text before it is logged or thrown. */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  /** Remembers a secret so it is masked from now on. */
  add(secret: string | undefined): void {
    // Very short values would mask ordinary words; real secrets are long.
    if (secret !== undefined && secret.length >= 8) this.secrets.add(secret);
  }

  /** The text with every remembered secret replaced by `[REDACTED]`. */
  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join("[REDACTED]");
    return result.replace(/Bearer\s+[A-Za-z0-9\-._~+/]+=*/g, "Bearer [REDACTED]");
  }
}

/** A URL for logs and messages: origin and path, query values masked (`$skiptoken` is opaque). */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const query = [...parsed.searchParams.keys()].map((key) => `${key}=…`).join("&");
    return `${parsed.origin}${parsed.pathname}${query === "" ? "" : `?${query}`}`;
  } catch {
    return "<unparseable url>";
  }
}
