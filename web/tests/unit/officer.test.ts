// Officer workspace and administration: every message key the pages name literally exists in a
// catalogue, and the actions offered on a dossier follow the permission table and the states.
import { describe, expect, it } from 'vitest';
import viCore from '../../src/i18n/vi';
import viPortal from '../../src/portal/i18n.vi';
import viOfficer from '../../src/officer/i18n.vi';
import viStaff from '../../src/officer/shared/i18n.vi';
import viAdmin from '../../src/admin/i18n.vi';
import { offeredActions, stateAllows, type OfficerDossier } from '../../src/officer/model';
import { isoToVn, parseVnDate } from '../../src/officer/shared/staff';
import type { Session } from '../../src/core/session';

// The sources of both areas as text (catalogue files themselves left out).
const sources = import.meta.glob<string>(['../../src/officer/**/*.{ts,tsx}', '../../src/admin/**/*.{ts,tsx}', '!**/i18n.*.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

describe('message keys of the officer and admin areas', () => {
  // What each area can see at run time: the core and portal catalogues (first chunk), the staff
  // catalogue (registered by both areas) and its own; never the other area's.
  const base = { ...viCore, ...viPortal, ...viStaff } as Record<string, string>;
  const visible: Record<string, Record<string, string>> = {
    '/src/officer/shared/': base,
    '/src/officer/': { ...base, ...viOfficer },
    '/src/admin/': { ...base, ...viAdmin },
  };
  for (const area of Object.keys(visible)) {
    it(`${area}: every t('…') key is in a catalogue the area registers`, () => {
      const missing: string[] = [];
      let count = 0;
      for (const [f, src] of Object.entries(sources)) {
        const owner = Object.keys(visible).filter((a) => f.includes(a)).sort((a, b) => b.length - a.length)[0];
        if (owner !== area) continue;
        for (const m of src.matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) {
          count++;
          if (!(m[1] in visible[area])) missing.push(`${f}: ${m[1]}`);
        }
      }
      expect(count).toBeGreaterThan(10);
      expect(missing).toEqual([]);
    });
  }
  it('has a message for every queue tab, action and calendar kind named from data', () => {
    for (const q of ['new', 'due_soon', 'overdue', 'supplement', 'all']) {
      expect(viOfficer).toHaveProperty(`officer.queue.tab.${q}`);
    }
    for (const a of ['receive', 'refuse', 'supplement-request', 'supplement', 'complete-step', 'transfer',
      'consultations', 'consultation-answer', 'apology', 'return', 'cancel']) {
      expect(viOfficer).toHaveProperty(`officer.action.${a}`);
    }
    for (const k of ['holiday', 'compensatory', 'swap_off', 'make_up', 'working']) {
      expect(viAdmin).toHaveProperty(`admin.cal.kind.${k}`);
    }
  });
});

function dossier(over: Partial<OfficerDossier>): OfficerDossier {
  return {
    code: '99501-261123-0001',
    state: 'submitted',
    current_unit: '99501',
    receiving_unit: '99501',
    competent_unit: '99501',
    current_step: -1,
    steps: [
      { code: 'review', name: 'Thẩm định', role: 'specialist', unit_kind: 'competent' },
      { code: 'approve', name: 'Phê duyệt', role: 'leader', unit_kind: 'competent' },
    ],
    consultations: [],
    transfers: [],
    supplements: [],
    apology: null,
    due_at: null,
    ...over,
  } as unknown as OfficerDossier;
}

function officer(unit: string, ...roles: string[]): Session {
  return {
    csrf_token: 'x',
    stage: 'full',
    account: { id: 'a', kind: 'officer', login: 'l', name: 'n', identity_level: 1, unit, disabled: false,
      totp_enrolled: true, email: '', phone: '', roles, id_number: '' },
  };
}

describe('offeredActions', () => {
  it('offers receipt and refusal of a new dossier to the one-stop officer of the holding unit only', () => {
    const d = dossier({});
    expect(offeredActions(d, officer('99501', 'one_stop_officer'))).toEqual(['receive', 'supplement-request', 'transfer', 'refuse']);
    expect(offeredActions(d, officer('99502', 'one_stop_officer'))).toEqual([]);
    expect(offeredActions(d, officer('99501', 'clerk'))).toEqual([]);
  });
  it('offers the current step to its role: the leader approves, the specialist does not', () => {
    const d = dossier({ state: 'in_processing', current_step: 1, due_at: '2026-11-30T10:00:00Z' });
    const leader = offeredActions(d, officer('99501', 'leader'));
    expect(leader).toContain('complete-step');
    expect(leader).toContain('apology');
    expect(leader).toContain('cancel');
    expect(offeredActions(d, officer('99501', 'specialist'))).not.toContain('complete-step');
  });
  it('offers the return only when the result is ready', () => {
    expect(offeredActions(dossier({ state: 'result_ready' }), officer('99501', 'one_stop_officer'))).toEqual(['return', 'transfer']);
    expect(stateAllows('return', dossier({ state: 'in_processing' }))).toBe(false);
  });
  it('offers the answer of a consultation to the consulted unit, which does not hold the dossier', () => {
    const d = dossier({
      state: 'in_processing',
      current_step: 0,
      consultations: [{ unit: '99.STP', question: 'q', answer: '', requested_at: null, answered_at: null }],
    });
    expect(offeredActions(d, officer('99.STP', 'specialist'))).toEqual(['consultation-answer']);
    expect(offeredActions(d, officer('99.STP', 'one_stop_officer'))).toEqual([]);
  });
  it('offers nothing on a closed dossier', () => {
    for (const state of ['returned', 'refused', 'withdrawn', 'cancelled']) {
      expect(offeredActions(dossier({ state }), officer('99501', 'one_stop_officer', 'leader', 'specialist'))).toEqual([]);
    }
  });
});

describe('dates typed as dd/mm/yyyy', () => {
  it('reads real dates only', () => {
    expect(parseVnDate('01/06/2025')).toBe('2025-06-01');
    expect(parseVnDate(' 5/3/2026 ')).toBe('2026-03-05');
    expect(parseVnDate('29/02/2024')).toBe('2024-02-29');
    expect(parseVnDate('29/02/2025')).toBeNull();
    expect(parseVnDate('31/04/2026')).toBeNull();
    expect(parseVnDate('06/31/2025')).toBeNull();
    expect(parseVnDate('2025-06-01')).toBeNull();
  });
  it('writes yyyy-mm-dd back as dd/mm/yyyy', () => {
    expect(isoToVn('2025-06-01')).toBe('01/06/2025');
    expect(isoToVn('')).toBe('');
  });
});
