/** A URL as written, cut into the parts the network rules judge, with where the host sits in the text. */
export interface Endpoint {
  scheme: string;
  host: string;
  port?: string;
  path: string;
  /** Offsets of the host in the text (brackets of an IPv6 address included). */
  hostStart: number;
  hostEnd: number;
  /** Offsets of the whole URL in the text. */
  start: number;
  end: number;
}

const URL_AT =
  /([A-Za-z][A-Za-z0-9+.-]{0,15}):\/\/(?:([^@/?#\s]{0,256})@)?(\[[0-9A-Fa-f:.]{0,64}\]|[^:/?#\s@]{0,253})(?::(\d{0,5}))?([^\s?#]{0,2048})/y;

/**
 * The URL that starts at `from` in `text`, or undefined when there is none or when its scheme or host
 * hold a variable (`${BASE:-https://…}`, `https://$HOST/`): a host that is not written cannot be judged.
 */
export function endpointAt(text: string, from = 0): Endpoint | undefined {
  URL_AT.lastIndex = from;
  const m = URL_AT.exec(text);
  if (!m) return undefined;
  const [whole, scheme, user, host, port, path] = m as unknown as [
    string,
    string,
    string | undefined,
    string,
    string | undefined,
    string,
  ];
  if (host.length === 0 || /[$%{}]/.test(host) || /[$%{}]/.test(scheme)) return undefined;
  const hostStart = from + scheme.length + 3 + (user === undefined ? 0 : user.length + 1);
  const endpoint: Endpoint = {
    scheme: scheme.toLowerCase(),
    host: host.toLowerCase().replace(/\.$/, ''),
    path: path ?? '',
    hostStart,
    hostEnd: hostStart + host.length,
    start: from,
    end: from + whole.length,
  };
  if (port) endpoint.port = port;
  return endpoint;
}

/** A value that is a URL from its first character (after blanks). */
export function endpointOf(value: string): Endpoint | undefined {
  const lead = /^\s*/.exec(value)?.[0].length ?? 0;
  return endpointAt(value, lead);
}

/**
 * The host is this machine: `localhost` and `*.localhost`, 127.0.0.0/8, `::1`, `0.0.0.0`, and
 * `host.docker.internal` (the machine that runs the container). Traffic to it never crosses a network.
 */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(h) ||
    h === '::1' ||
    h === '0:0:0:0:0:0:0:1' ||
    h === '0.0.0.0' ||
    h === 'host.docker.internal'
  );
}

/**
 * Where a telemetry collector stays near: this machine, or a host named by one label (`otel-collector`, a
 * Compose service or a Kubernetes service in the same namespace), reached on the local container network.
 */
export function isNearbyCollector(host: string): boolean {
  return isLoopback(host) || /^[a-z0-9](?:[a-z0-9_-]{0,62})$/.test(host);
}

/** An allowed endpoint of the policy, compiled: `https://api.anthropic.com`, `https://*.services.ai.azure.com`. */
export interface EndpointPattern {
  source: string;
  scheme?: string;
  host: RegExp;
  port?: string;
  path: string;
}

/**
 * Compiles a policy entry: a URL, or a bare host. `*` in the host stands for any run of characters within one
 * label (`bedrock-runtime.*.amazonaws.com`, `*-aiplatform.googleapis.com`). A path, when given, is a prefix.
 */
export function compileEndpoint(source: string): EndpointPattern | { error: string } {
  const text = source.trim();
  if (text.length === 0 || text.length > 512) return { error: 'an endpoint must be a URL or a host name' };
  const withScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text) ? text : `any://${text}`;
  const m =
    /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9*_.-]+)(?::(\d{1,5}))?(\/[^\s?#]*)?$/.exec(
      withScheme,
    );
  if (!m) return { error: `"${text}" is not a URL or a host name (https://host[:port][/path])` };
  const [, scheme, host, port, path] = m as unknown as [string, string, string, string?, string?];
  if (/\*\*/.test(host)) return { error: `"${text}": * stands for part of one label; ** is not understood` };
  const label = host
    .toLowerCase()
    .split('.')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
        .join('[a-z0-9-]+'),
    )
    .join('\\.');
  const pattern: EndpointPattern = { source: text, host: new RegExp(`^${label}$`), path: path ?? '' };
  if (scheme.toLowerCase() !== 'any') pattern.scheme = scheme.toLowerCase();
  if (port) pattern.port = port;
  return pattern;
}

const DEFAULT_PORTS = new Map([
  ['http', '80'],
  ['https', '443'],
]);

/** Whether an endpoint is one the pattern allows. */
export function endpointAllowed(endpoint: Endpoint, pattern: EndpointPattern): boolean {
  if (pattern.scheme && pattern.scheme !== endpoint.scheme) return false;
  if (!pattern.host.test(endpoint.host)) return false;
  if (pattern.port) {
    const port = endpoint.port ?? DEFAULT_PORTS.get(endpoint.scheme);
    if (port !== pattern.port) return false;
  }
  if (pattern.path && pattern.path !== '/') {
    const base = pattern.path.replace(/\/$/, '');
    if (endpoint.path !== base && !endpoint.path.startsWith(`${base}/`)) return false;
  }
  return true;
}

/**
 * Where Claude Code may send its traffic by default: Anthropic's API and the cloud providers' own hosts for
 * Claude (Amazon Bedrock, Google Vertex AI, Microsoft Foundry).
 */
export const DEFAULT_ALLOWED_ENDPOINTS: readonly string[] = [
  'https://api.anthropic.com',
  'https://bedrock-runtime.*.amazonaws.com',
  'https://bedrock-runtime-fips.*.amazonaws.com',
  'https://aiplatform.googleapis.com',
  'https://*-aiplatform.googleapis.com',
  'https://*.services.ai.azure.com',
];

/** Variables that send Claude's model traffic elsewhere: the API base URLs. */
export const BASE_URL_VARS: readonly string[] = [
  'ANTHROPIC_BASE_URL',
  'ANTHROPIC_BEDROCK_BASE_URL',
  'ANTHROPIC_VERTEX_BASE_URL',
  'ANTHROPIC_FOUNDRY_BASE_URL',
];

/** OpenTelemetry exporter endpoints: where Claude's telemetry (prompts too, when logged) is sent. */
export function isOtelEndpointVar(name: string): boolean {
  return /^OTEL_EXPORTER_OTLP(_(TRACES|METRICS|LOGS))?_ENDPOINT$/.test(name);
}

/** Proxy variables: traffic goes through them; `http://` is their normal form (CONNECT carries TLS). */
export function isProxyVar(name: string): boolean {
  return /^(HTTPS?|ALL)_PROXY$/i.test(name);
}
