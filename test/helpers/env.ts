import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core reads and writes instance settings under the user folder: keep tests away from ~/.n8n.
process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'n8n-nodes-test-'));
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
