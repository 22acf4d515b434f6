import { ConfigError } from '@linli/contract';
import { builtinRegistry } from '@linli/drivers';
import { loadConfig } from '../config/load.js';
import { migrateConfigFile } from '../config/migrate.js';
import { Output, UsageError } from './output.js';

/** `config validate FILE` and `config migrate FILE`. */
export async function configCommand(sub: string | undefined, file: string | undefined, json: boolean): Promise<number> {
  const out = new Output(json);
  if (!file) throw new UsageError(`config ${sub ?? ''}: give the config file`);
  if (sub === 'validate') {
    try {
      const loaded = loadConfig(file, builtinRegistry());
      out.line(`${loaded.file}: OK (${loaded.config.devices.length} devices) 配置有效`);
      out.result({ ok: true, file: loaded.file, devices: loaded.config.devices.length });
      return 0;
    } catch (err) {
      if (!(err instanceof ConfigError) || !json) throw err;
      out.result({ ok: false, file: err.file, problems: err.problems });
      return 2;
    }
  }
  if (sub === 'migrate') {
    const r = migrateConfigFile(file);
    if (r.applied.length === 0) out.line(`${r.file}: already at version ${r.version}; nothing to do 无需迁移`);
    else {
      for (const m of r.applied) out.line(`  v${m.from} → v${m.to}: ${m.summary}`);
      out.line(`${r.file}: migrated to version ${r.version}; the old file is kept as ${r.backup}`);
    }
    out.result({ ok: true, ...r });
    return 0;
  }
  throw new UsageError(`config ${sub ?? ''}: expected validate or migrate`);
}
