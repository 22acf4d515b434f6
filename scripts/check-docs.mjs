// What the docs say that can be checked mechanically, on every `npm test`:
// every repository path they name exists, every package has the root's
// version, and every documented command answers --help.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['contract', 'geo', 'drivers', 'gateway', 'flows', 'dashboard'];
const TOP = /^(contract|geo|drivers|gateway|flows|dashboard|scripts|bench|test|deploy|docs)\//;
const problems = [];

/** Made by runs, not committed (git-ignored): named in the docs as where output lands. */
const GENERATED = /^(test\/artifacts|bench\/results)(\/|$)/;

/** Whether a path with `*` in some segments matches something on disk. */
function globExists(path) {
  const walk = (dir, parts) => {
    if (!parts.length) return true;
    const [head, ...rest] = parts;
    if (!head.includes('*')) return existsSync(join(dir, head)) && walk(join(dir, head), rest);
    const re = new RegExp(`^${head.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    let names;
    try {
      names = readdirSync(dir);
    } catch {
      return false;
    }
    return names.some((n) => re.test(n) && walk(join(dir, n), rest));
  };
  return walk(root, path.split('/').filter(Boolean));
}

/** `a/{b,c}/d` → `a/b/d`, `a/c/d`. */
function expand(path) {
  const m = /\{([^{}]+)\}/.exec(path);
  if (!m) return [path];
  return m[1].split(',').flatMap((alt) => expand(path.slice(0, m.index) + alt + path.slice(m.index + m[0].length)));
}

const docs = [
  'README.md',
  'ARCHITECTURE.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
let named = 0;
for (const doc of docs) {
  const text = readFileSync(join(root, doc), 'utf8');
  for (const [, raw] of text.matchAll(/`([^`\s]+)`/g)) {
    const path = raw.replace(/[:#].*$/, '').replace(/\/\*+$/, '');
    if (!TOP.test(path) || GENERATED.test(path) || /[…<]|NAME/.test(path)) continue;
    for (const p of expand(path)) {
      named++;
      if (!globExists(p)) problems.push(`${doc} names ${p}, which does not exist`);
    }
  }
}

const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
for (const pkg of PACKAGES) {
  const v = JSON.parse(readFileSync(join(root, pkg, 'package.json'), 'utf8')).version;
  if (v !== version) problems.push(`${pkg}/package.json is version ${v}, the repository ${version}`);
}

for (const pkg of PACKAGES) {
  const { bin = {} } = JSON.parse(readFileSync(join(root, pkg, 'package.json'), 'utf8'));
  for (const [cmd, file] of Object.entries(bin)) {
    const r = spawnSync(process.execPath, [join(root, pkg, file), '--help'], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0)
      problems.push(
        `\`${cmd} --help\` exited ${r.status ?? r.signal}: ${(r.stderr || r.stdout).trim().split('\n')[0]}`,
      );
  }
}

if (problems.length) {
  console.error(`文档检查失败 docs check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`文档 docs: OK (${named} paths named, versions agree, every command answers --help)`);
