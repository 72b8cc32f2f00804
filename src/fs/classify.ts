/** What a path holds, decided from its name alone, before anything is read. */
export type SurfaceKind =
  | 'claude-settings'
  | 'mcp-config'
  /** `.claude.json`: Claude Code's state file, with MCP servers, kept in a home folder, not a repository. */
  | 'claude-state'
  | 'workflow'
  | 'shell-script'
  | 'package-json'
  | 'dockerfile'
  | 'devcontainer'
  | 'claude-markdown'
  | 'makefile'
  | 'justfile'
  | 'compose'
  | 'pre-commit'
  | 'vscode-tasks'
  | 'gitlab-ci'
  /** A Claude Code plugin's manifest, `.claude-plugin/plugin.json`: it marks the folder above as a plugin. */
  | 'plugin-manifest'
  /**
   * Files of a plugin folder, by where they sit in it: `hooks/hooks.json`, `skills/<name>/SKILL.md`,
   * `agents/<name>.md`, `commands/[<group>/]<name>.md`. By name alone they are only candidates: they are of
   * these kinds when the folder holds a manifest (see `PluginFolders`), else plain text.
   */
  | 'plugin-hooks'
  | 'plugin-skill'
  | 'plugin-agent'
  | 'plugin-command'
  /** Any other file: read only to look for credentials (and a shebang). */
  | 'text'
  /** Known binary formats: never read. */
  | 'binary';

const BINARY_EXT = new Set(
  (
    'png jpg jpeg gif bmp ico webp tif tiff psd pdf zip gz tgz bz2 xz 7z rar jar war class so dylib dll exe ' +
    'o a lib bin wasm woff woff2 ttf otf eot mp3 mp4 m4a mov avi mkv wav ogg flac webm pyc pyo db sqlite ' +
    'sqlite3 iso dmg img deb rpm apk ipa node pack idx keystore jks p12 pfx der heic avif'
  ).split(' '),
);

const SHELL_EXT = new Set(['sh', 'bash', 'zsh', 'ksh', 'dash']);

/** A path whose extension says it is binary: never read, not counted. */
export function isBinaryPath(path: string): boolean {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') + 1 && BINARY_EXT.has(path.slice(dot + 1).toLowerCase());
}

export function classify(path: string): SurfaceKind {
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (BINARY_EXT.has(ext)) return 'binary';
  if (name === 'settings.json' || name === 'settings.local.json') {
    if (path === `.claude/${name}` || path.endsWith(`/.claude/${name}`)) return 'claude-settings';
  }
  if (name === 'managed-settings.json') return 'claude-settings';
  if (ext === 'json' && (path.startsWith('managed-settings.d/') || path.includes('/managed-settings.d/'))) {
    return 'claude-settings';
  }
  if (name === '.mcp.json') return 'mcp-config';
  if (name === '.claude.json') return 'claude-state';
  if (ext === 'md' && /(^|\/)\.claude\/(commands|agents|skills)\//.test(path)) return 'claude-markdown';
  const plugin = pluginPart(path, name, ext);
  if (plugin) return plugin.kind;
  if ((ext === 'yml' || ext === 'yaml') && /(^|\/)\.github\/workflows\/[^/]+$/.test(path)) return 'workflow';
  if (name === 'action.yml' || name === 'action.yaml') return 'workflow';
  if (SHELL_EXT.has(ext) || path.startsWith('.husky/') || path.includes('/.husky/')) return 'shell-script';
  if (name === 'package.json') return 'package-json';
  if (/^(Dockerfile|Containerfile)(\..+)?$/.test(name) || /\.(dockerfile|containerfile)$/i.test(name))
    return 'dockerfile';
  if (name === 'devcontainer.json' || name === '.devcontainer.json') return 'devcontainer';
  if (name === 'Makefile' || name === 'makefile' || name === 'GNUmakefile' || ext === 'mk') return 'makefile';
  // `.gitlab-ci.yml`, and the `*.gitlab-ci.yml` files it conventionally includes.
  if (/(^|\.)gitlab-ci\.ya?ml$/.test(name)) return 'gitlab-ci';
  if (/^(justfile|Justfile|\.justfile)$/.test(name) || ext === 'just') return 'justfile';
  if (name === '.pre-commit-config.yaml' || name === '.pre-commit-config.yml') return 'pre-commit';
  if (path === '.vscode/tasks.json' || path.endsWith('/.vscode/tasks.json')) return 'vscode-tasks';
  if (/^(docker-)?compose(\.[\w.-]+)?\.ya?ml$/.test(name)) return 'compose';
  return 'text';
}

type PluginKind = 'plugin-manifest' | 'plugin-hooks' | 'plugin-skill' | 'plugin-agent' | 'plugin-command';

const PLUGIN_MANIFEST = '.claude-plugin/plugin.json';
const PLUGIN_PARTS: readonly [RegExp, PluginKind][] = [
  [/(^|\/)hooks\/hooks\.json$/, 'plugin-hooks'],
  [/(^|\/)skills\/[^/]+\/SKILL\.md$/, 'plugin-skill'],
  [/(^|\/)agents\/[^/]+\.md$/, 'plugin-agent'],
  [/(^|\/)commands\/(?:[^/]+\/)?[^/]+\.md$/, 'plugin-command'],
];

/** What part of a plugin a path would be, and the folder that would be the plugin, by name alone. */
function pluginPart(path: string, name: string, ext: string): { kind: PluginKind; root: string } | undefined {
  if (name === 'plugin.json' && (path === PLUGIN_MANIFEST || path.endsWith(`/${PLUGIN_MANIFEST}`)))
    return { kind: 'plugin-manifest', root: path.slice(0, -PLUGIN_MANIFEST.length) };
  if (name !== 'hooks.json' && ext !== 'md') return undefined;
  for (const [pattern, kind] of PLUGIN_PARTS) {
    const m = pattern.exec(path);
    if (m) return { kind, root: path.slice(0, m.index + (m[1] as string).length) };
  }
  return undefined;
}

/**
 * The plugin folders of a listing, each known by its `.claude-plugin/plugin.json`: `note` every listed path,
 * then `kindOf` tells whether a plugin candidate (`hooks/hooks.json`, `agents/x.md`…) sits in one.
 */
export class PluginFolders {
  private readonly roots = new Set<string>();

  note(path: string): void {
    if (
      path.endsWith(PLUGIN_MANIFEST) &&
      (path.length === PLUGIN_MANIFEST.length || path.endsWith(`/${PLUGIN_MANIFEST}`))
    )
      this.roots.add(path.slice(0, -PLUGIN_MANIFEST.length));
  }

  /** `kind` as `classify` gave it, or plain text for a plugin candidate outside every plugin folder. */
  kindOf(path: string, kind: SurfaceKind): SurfaceKind {
    if (!kind.startsWith('plugin-') || kind === 'plugin-manifest') return kind;
    const slash = path.lastIndexOf('/');
    const name = path.slice(slash + 1);
    const dot = name.lastIndexOf('.');
    const part = pluginPart(path, name, dot > 0 ? name.slice(dot + 1).toLowerCase() : '');
    return part && this.roots.has(part.root) ? kind : 'text';
  }
}

/** A file Claude Code keeps for one person, which does not belong in a repository. */
export type LocalConfigKind = 'settings-local' | 'claude-json' | 'credentials' | 'claude-local-md';

/** Which personal Claude file a path is, by name; undefined for any other path. Cheap: called on every path. */
export function localConfigOf(path: string): LocalConfigKind | undefined {
  if (path.endsWith('.claude/settings.local.json')) return 'settings-local';
  if (path === '.claude.json' || path.endsWith('/.claude.json')) return 'claude-json';
  if (path === '.credentials.json' || path.endsWith('.claude/.credentials.json')) return 'credentials';
  if (path === 'CLAUDE.local.md' || path.endsWith('/CLAUDE.local.md')) return 'claude-local-md';
  return undefined;
}

/**
 * False when the path cannot be a Claude settings, MCP, command, agent, skill or plugin file: a cheap test that
 * spares classifying every path of a large checkout.
 */
export function mayBeClaudeFile(path: string): boolean {
  return (
    path.includes('.claude') ||
    path.endsWith('.mcp.json') ||
    path.includes('managed-settings') ||
    path.endsWith('/hooks.json') ||
    path === 'hooks/hooks.json' ||
    (path.endsWith('.md') &&
      (path.endsWith('/SKILL.md') || path.includes('agents/') || path.includes('commands/')))
  );
}

/** A text file that is a shell script by its first line. */
export function hasShellShebang(text: string): boolean {
  // `#!/bin/bash`, `#!/usr/bin/env bash`, `#!/usr/bin/env -S bash -e`.
  return /^#!\s*\S*(\/|\s)(env\s+(-\S+\s+)*)?(ba|z|k|da)?sh\b/.test(text.slice(0, 80));
}

/**
 * The isolation a path itself implies: files under `.devcontainer/` are used inside a dev container;
 * Dockerfiles build containers.
 */
export function isolationOfPath(path: string): 'container' | 'devcontainer' | undefined {
  if (
    path.startsWith('.devcontainer/') ||
    path.includes('/.devcontainer/') ||
    path.endsWith('.devcontainer.json')
  ) {
    return 'devcontainer';
  }
  return classify(path) === 'dockerfile' ? 'container' : undefined;
}
