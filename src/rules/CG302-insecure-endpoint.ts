import {
  BASE_URL_VARS,
  endpointOf,
  isLoopback,
  isNearbyCollector,
  isOtelEndpointVar,
} from '../model/endpoints.js';
import { envSettings, locatedArg } from '../model/env.js';
import type { Arg } from '../model/types.js';
import type { Rule, RuleFinding } from './types.js';

/** A URL in clear text to a host that is not this machine: where it is, and its host. */
function plainText(value: Arg): { from: number; to: number; host: string } | undefined {
  const endpoint = endpointOf(value.value);
  if (!endpoint || !['http', 'ws'].includes(endpoint.scheme) || isLoopback(endpoint.host)) return undefined;
  return { from: endpoint.start, to: endpoint.hostEnd, host: endpoint.host };
}

export const insecureEndpoint: Rule = {
  meta: {
    id: 'CG302',
    name: 'insecure-endpoint',
    severity: 'high',
    summary:
      'Claude or an MCP server talks to a host over clear text: an `http://` API base URL, telemetry endpoint ' +
      'or MCP `url` to a host that is not this machine.',
    rationale:
      'Over `http://` the API key, the prompts, the source code Claude reads and the answers it acts on cross ' +
      'the network unencrypted; anyone on the path can read them or change the answer — and Claude runs what ' +
      'the answer says. A telemetry endpoint may receive prompts and tool output (`OTEL_LOG_USER_PROMPTS`). ' +
      'Proxies are not reported: `HTTPS_PROXY=http://…` is the normal way to reach a proxy, and TLS to the ' +
      'real host runs inside it. Loopback addresses (`localhost`, `127.0.0.1`, `host.docker.internal`) never ' +
      'leave the machine, and a telemetry collector named by one label (`http://otel-collector:4318`, a Compose ' +
      'or Kubernetes service) is on the container network.',
    fix: 'Use `https://` (or `wss://`) with a valid certificate.',
    bad: [
      {
        path: '.claude/settings.json',
        note: 'Model traffic, with the key, over clear text.',
        lines: [3],
        content: [
          '{',
          '  "env": {',
          '    "ANTHROPIC_BASE_URL": "http://llm-gateway.corp.example:8080"',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
      {
        path: '.mcp.json',
        note: 'A remote MCP server over http.',
        lines: [2],
        content: [
          '{',
          '  "mcpServers": { "tickets": { "type": "http", "url": "http://mcp.example.com/mcp" } }',
          '}',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.claude/settings.json',
        note: 'A gateway over TLS, a collector on this machine, and a proxy (proxies are reached over http).',
        content: [
          '{',
          '  "env": {',
          '    "ANTHROPIC_BASE_URL": "https://llm-gateway.corp.example",',
          '    "OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318",',
          '    "HTTPS_PROXY": "http://proxy.corp.example:3128"',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    const out: RuleFinding[] = [];
    for (const setting of envSettings(model)) {
      if (setting.target !== 'claude') continue;
      if (!BASE_URL_VARS.includes(setting.name) && !isOtelEndpointVar(setting.name)) continue;
      const plain = plainText(setting.value);
      if (!plain) continue;
      // Telemetry to a collector on the container network (`http://otel-collector:4318`) stays there.
      if (isOtelEndpointVar(setting.name) && isNearbyCollector(plain.host)) continue;
      const what = isOtelEndpointVar(setting.name) ? 'telemetry' : 'model traffic and the API key';
      out.push({
        span: setting.value.sub(plain.from, plain.to),
        message: `${setting.name} in ${setting.where} sends ${what} to ${plain.host} over clear text`,
        evidence: `env:${setting.name}:${plain.host}`,
      });
    }
    for (const server of model.mcpServers) {
      if (!server.url) continue;
      const url = locatedArg(server.url);
      const plain = plainText(url);
      if (!plain) continue;
      out.push({
        span: url.sub(plain.from, plain.to),
        message: `MCP server "${server.name.value}" is reached at ${plain.host} over clear text`,
        evidence: `mcp:${server.name.value}:${plain.host}`,
      });
    }
    return out;
  },
};
