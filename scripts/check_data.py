#!/usr/bin/env python3
"""Validate motcua data files. Exit status 0 = all invariants hold, 1 = violations (listed on stderr).

Checks data/procedures/catalogue.json, data/demo/units.json and data/codes.json:
  * JSON parses; schema ids; no unknown keys (the C++ parser is strict)
  * unique procedure codes, unique unit codes, codes are strings
  * step shares are integers > 0 summing to exactly 100
  * every competent.agency is the agency_key of a department valid on the reference date
  * successor / predecessor links exist and are symmetric; successor dates follow valid_to
  * every commune that ended 2025-06-30 has >= 1 successor; every post-2025 commune has predecessors
  * units sharing an agency_key have non-overlapping validity periods
  * dossier-code pattern uses only the allowed placeholders

Usage: scripts/check_data.py [--root DIR] [--date YYYY-MM-DD]   (default date: today)
"""
import argparse
import datetime as dt
import json
import os
import re
import sys

errors = []


def err(msg):
    errors.append(msg)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        err(f"{path}: cannot load: {e}")
        return None


def date(s, where):
    try:
        return dt.date.fromisoformat(s)
    except (TypeError, ValueError):
        err(f"{where}: bad ISO date {s!r}")
        return None


def keys(obj, required, optional, where):
    if not isinstance(obj, dict):
        err(f"{where}: expected object")
        return False
    for k in required:
        if k not in obj:
            err(f"{where}: missing key {k!r}")
    for k in obj:
        if k not in required and k not in optional:
            err(f"{where}: unknown key {k!r}")
    return True


def is_str(v):
    return isinstance(v, str) and v != ""


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


# ----------------------------------------------------------------- units ---
UNIT_REQ = ["code", "name", "level", "parent", "valid_from", "valid_to"]
UNIT_OPT = ["name_en", "agency_key", "commune_type", "successors", "predecessors", "schedule"]
LEVELS = {"province", "department", "pasc", "district", "commune"}
TWO_LEVEL = dt.date(2025, 7, 1)


def valid_on(u, d):
    vf, vt = u["_vf"], u["_vt"]
    return vf is not None and vf <= d and (vt is None or d <= vt)


def check_units(doc):
    if doc is None:
        return {}
    keys(doc, ["schema", "note", "units"], [], "units.json")
    if doc.get("schema") != "motcua.units/1":
        err("units.json: schema must be 'motcua.units/1'")
    by = {}
    for i, u in enumerate(doc.get("units", [])):
        where = f"units[{i}]"
        if not keys(u, UNIT_REQ, UNIT_OPT, where):
            continue
        c = u.get("code")
        where = f"unit {c!r}"
        if not is_str(c):
            err(f"{where}: code must be a non-empty string")
            continue
        if c in by:
            err(f"{where}: duplicate code")
        by[c] = u
        if not is_str(u.get("name")):
            err(f"{where}: name required")
        if u.get("level") not in LEVELS:
            err(f"{where}: bad level {u.get('level')!r}")
        u["_vf"] = date(u.get("valid_from"), where)
        u["_vt"] = None if u.get("valid_to") is None else date(u.get("valid_to"), where)
        if u["_vf"] and u["_vt"] and u["_vt"] < u["_vf"]:
            err(f"{where}: valid_to before valid_from")
        if "agency_key" in u and u.get("level") != "department":
            err(f"{where}: agency_key only allowed on departments")
        if u.get("level") == "department" and not is_str(u.get("agency_key")):
            err(f"{where}: department needs agency_key")
        if "schedule" in u and not is_str(u["schedule"]):
            err(f"{where}: schedule must be a string")
    provinces = [u for u in by.values() if u.get("level") == "province"]
    if len(provinces) != 1:
        err(f"units.json: expected exactly one province, found {len(provinces)}")
    for c, u in by.items():
        where = f"unit {c!r}"
        lvl = u.get("level")
        p = u.get("parent")
        if lvl == "province":
            if p is not None:
                err(f"{where}: province parent must be null")
            if not re.fullmatch(r"\d{2}", c):
                err(f"{where}: province code must be 2 digits")
        else:
            if p not in by:
                err(f"{where}: parent {p!r} does not exist")
            else:
                pu = by[p]
                if u["_vf"] and pu["_vf"] and u["_vf"] < pu["_vf"]:
                    err(f"{where}: starts before its parent {p}")
                if pu["_vt"] is not None and (u["_vt"] is None or u["_vt"] > pu["_vt"]):
                    err(f"{where}: outlives its parent {p}")
        if lvl == "district" and not re.fullmatch(r"\d{3}", c):
            err(f"{where}: district code must be 3 digits")
        if lvl == "commune":
            if not re.fullmatch(r"\d{5}", c):
                err(f"{where}: commune code must be 5 digits")
            ct = u.get("commune_type")
            post = u["_vf"] is not None and u["_vf"] >= TWO_LEVEL
            allowed = {"xa", "phuong", "dac_khu"} if post else {"xa", "phuong", "thi_tran"}
            if ct not in allowed:
                err(f"{where}: commune_type {ct!r} not allowed for its period")
            if post and by.get(p, {}).get("level") != "province":
                err(f"{where}: post-2025 commune must hang under the province")
            if not post and by.get(p, {}).get("level") != "district":
                err(f"{where}: pre-2025 commune must hang under a district")
            if u["_vt"] == dt.date(2025, 6, 30) and not u.get("successors"):
                err(f"{where}: commune ended 2025-06-30 without successors")
            if post and not u.get("predecessors"):
                err(f"{where}: post-2025 commune without predecessors")
        elif "commune_type" in u:
            err(f"{where}: commune_type only allowed on communes")
        if lvl == "district" and u["_vt"] is not None and u["_vt"] >= TWO_LEVEL:
            err(f"{where}: district valid after the two-level reform")
        for s in u.get("successors", []) or []:
            if not keys(s, ["code", "date", "instrument"], [], f"{where} successor"):
                continue
            sc = s.get("code")
            if sc not in by:
                err(f"{where}: successor {sc!r} does not exist")
                continue
            sd = date(s.get("date"), f"{where} successor")
            if u["_vt"] is None:
                err(f"{where}: has successors but no valid_to")
            elif sd and sd != u["_vt"] + dt.timedelta(days=1):
                err(f"{where}: successor date {sd} is not the day after valid_to {u['_vt']}")
            if sd and by[sc]["_vf"] and by[sc]["_vf"] > sd:
                err(f"{where}: successor {sc} not yet valid on {sd}")
            if c not in (by[sc].get("predecessors") or []):
                err(f"{where}: successor {sc} does not list it as predecessor")
        for pc in u.get("predecessors", []) or []:
            if pc not in by:
                err(f"{where}: predecessor {pc!r} does not exist")
                continue
            if c not in [s.get("code") for s in by[pc].get("successors", []) or []]:
                err(f"{where}: predecessor {pc} does not list it as successor")
    # agency_key validity periods must not overlap
    by_key = {}
    for u in by.values():
        if "agency_key" in u:
            by_key.setdefault(u["agency_key"], []).append(u)
    for k, us in by_key.items():
        us = sorted(us, key=lambda x: x["_vf"] or dt.date.min)
        for a, b in zip(us, us[1:]):
            if a["_vt"] is None or (b["_vf"] and b["_vf"] <= a["_vt"]):
                err(f"agency_key {k!r}: {a['code']} and {b['code']} overlap")
    return by


# ------------------------------------------------------------- catalogue ---
P_REQ = ["code", "name", "name_en", "field", "competent", "time_limit", "online_level", "fees", "components",
         "steps", "result", "legal_basis", "source"]
P_OPT = ["exemptions", "pay_before", "assumed", "note"]
TL_UNITS = {"working_days", "working_hours", "calendar_days", "same_day"}
ONLINE = {"full", "partial", "none"}
PAPER = {"original", "copy", "certified_copy", "show_only"}
ROLES = {"one_stop_officer", "specialist", "leader", "clerk"}
STEP_UNITS = {"receiving", "competent"}
ASSUMABLE = {"time_limit", "fees", "online_level", "components", "steps", "competent", "result", "exemptions",
             "legal_basis", "name", "code"}


def check_catalogue(doc, units, ref_date):
    if doc is None:
        return
    keys(doc, ["schema", "version", "procedures", "fields"], [], "catalogue.json")
    if doc.get("schema") != "motcua.procedures/1":
        err("catalogue.json: schema must be 'motcua.procedures/1'")
    date(doc.get("version"), "catalogue.json version")
    fields = set()
    for i, f in enumerate(doc.get("fields", [])):
        if keys(f, ["key", "name", "name_en"], [], f"fields[{i}]"):
            if f.get("key") in fields:
                err(f"fields[{i}]: duplicate key {f.get('key')!r}")
            fields.add(f.get("key"))
    agencies_today = {u["agency_key"] for u in units.values()
                      if u.get("level") == "department" and "agency_key" in u and valid_on(u, ref_date)}
    seen = set()
    used_fields = set()
    for i, p in enumerate(doc.get("procedures", [])):
        where = f"procedures[{i}]"
        if not keys(p, P_REQ, P_OPT, where):
            continue
        c = p.get("code")
        where = f"procedure {c!r}"
        if not (isinstance(c, str) and re.fullmatch(r"\d\.\d{6}", c)):
            err(f"{where}: code must look like 'd.dddddd'")
        if c in seen:
            err(f"{where}: duplicate code")
        seen.add(c)
        for k in ("name", "name_en", "source"):
            if not is_str(p.get(k)):
                err(f"{where}: {k} must be a non-empty string")
        if p.get("field") not in fields:
            err(f"{where}: unknown field {p.get('field')!r}")
        used_fields.add(p.get("field"))
        comp = p.get("competent")
        if keys(comp, ["level"], ["agency"], f"{where} competent"):
            if comp.get("level") not in {"commune", "province"}:
                err(f"{where}: competent.level must be commune or province")
            if "agency" in comp and comp["agency"] not in agencies_today:
                err(f"{where}: competent agency {comp['agency']!r} is not a department valid on {ref_date}")
            if comp.get("level") == "province" and "agency" not in comp:
                err(f"{where}: provincial procedure needs competent.agency")
        tl = p.get("time_limit")
        if keys(tl, ["unit", "value"], [], f"{where} time_limit"):
            if tl.get("unit") not in TL_UNITS:
                err(f"{where}: bad time_limit.unit {tl.get('unit')!r}")
            v = tl.get("value")
            if not is_int(v) or v < 0:
                err(f"{where}: time_limit.value must be an integer >= 0")
            elif (tl.get("unit") == "same_day") != (v == 0):
                err(f"{where}: same_day must have value 0 and other units a value > 0")
        if p.get("online_level") not in ONLINE:
            err(f"{where}: bad online_level {p.get('online_level')!r}")
        fcodes = set()
        for j, f in enumerate(p.get("fees") or []):
            if not keys(f, ["code", "kind", "name", "name_en", "amount"],
                        ["condition", "per", "from", "to", "replaces"], f"{where} fees[{j}]"):
                continue
            if f.get("code") in fcodes:
                err(f"{where}: duplicate fee code {f.get('code')!r}")
            fcodes.add(f.get("code"))
            if f.get("kind") not in {"fee", "charge"}:
                err(f"{where}: fee kind must be fee or charge")
            if not is_int(f.get("amount")) or f["amount"] < 0:
                err(f"{where}: fee amount must be an integer VND >= 0")
            if f.get("condition") is not None and not is_str(f.get("condition")):
                err(f"{where}: fee condition must be a string or null")
            if f.get("per") is not None and not is_str(f.get("per")):
                err(f"{where}: fee per must be a quantity unit name")
            for k in ("from", "to"):
                if f.get(k) is not None and (not is_int(f[k]) or f[k] < 0):
                    err(f"{where}: fee {k} must be a whole number")
        for f in p.get("fees") or []:
            if isinstance(f, dict) and f.get("replaces") is not None and f["replaces"] not in fcodes:
                err(f"{where}: fee {f.get('code')!r} replaces an unknown fee {f['replaces']!r}")
        if p.get("pay_before", "return") not in {"receipt", "return"}:
            err(f"{where}: pay_before must be receipt or return")
        if not isinstance(p.get("fees"), list):
            err(f"{where}: fees must be a list")
        ex = p.get("exemptions", [])
        if not isinstance(ex, list) or not all(is_str(x) for x in ex):
            err(f"{where}: exemptions must be a list of strings")
        comps = p.get("components")
        if not isinstance(comps, list) or not comps:
            err(f"{where}: components must be a non-empty list")
            comps = []
        ccodes = set()
        for j, cpt in enumerate(comps):
            if not keys(cpt, ["code", "name", "name_en", "required", "copies", "paper_type"], [],
                        f"{where} components[{j}]"):
                continue
            if cpt.get("code") in ccodes:
                err(f"{where}: duplicate component code {cpt.get('code')!r}")
            ccodes.add(cpt.get("code"))
            if not isinstance(cpt.get("required"), bool):
                err(f"{where}: component.required must be boolean")
            if not is_int(cpt.get("copies")) or cpt["copies"] < 0:
                err(f"{where}: component.copies must be an integer >= 0")
            if cpt.get("paper_type") not in PAPER:
                err(f"{where}: bad paper_type {cpt.get('paper_type')!r}")
        steps = p.get("steps")
        if not isinstance(steps, list) or not steps:
            err(f"{where}: steps must be a non-empty list")
            steps = []
        total, scodes = 0, set()
        for j, s in enumerate(steps):
            if not keys(s, ["code", "name", "name_en", "role", "unit", "share"], [], f"{where} steps[{j}]"):
                continue
            if s.get("code") in scodes:
                err(f"{where}: duplicate step code {s.get('code')!r}")
            scodes.add(s.get("code"))
            if s.get("role") not in ROLES:
                err(f"{where}: bad step role {s.get('role')!r}")
            if s.get("unit") not in STEP_UNITS:
                err(f"{where}: bad step unit {s.get('unit')!r}")
            sh = s.get("share")
            if not is_int(sh) or sh <= 0:
                err(f"{where}: step {s.get('code')!r} share must be an integer > 0")
            else:
                total += sh
        if steps and total != 100:
            err(f"{where}: step shares sum to {total}, not 100")
        if keys(p.get("result"), ["name", "name_en", "paper"], [], f"{where} result"):
            if not isinstance(p["result"].get("paper"), bool):
                err(f"{where}: result.paper must be boolean")
        lb = p.get("legal_basis")
        if not isinstance(lb, list) or not lb or not all(is_str(x) for x in lb):
            err(f"{where}: legal_basis must be a non-empty list of strings")
        a = p.get("assumed", [])
        if not isinstance(a, list) or any(x not in ASSUMABLE for x in a):
            err(f"{where}: assumed must list keys among {sorted(ASSUMABLE)}")
        if "note" in p and not is_str(p["note"]):
            err(f"{where}: note must be a non-empty string")
    for f in fields - used_fields:
        err(f"catalogue.json: field {f!r} is declared but unused")


# ----------------------------------------------------------------- codes ---
PLACEHOLDERS = {"unit", "yy", "yyyy", "mm", "dd", "yymmdd", "seq4", "seq5", "seq6"}


def check_codes(doc):
    if doc is None:
        return
    keys(doc, ["schema", "dossier", "receipt"], [], "codes.json")
    if doc.get("schema") != "motcua.codes/1":
        err("codes.json: schema must be 'motcua.codes/1'")
    for kind in ("dossier", "receipt"):
        check_code_rule(doc.get(kind), kind)


def check_code_rule(d, kind):
    if not keys(d, ["pattern", "counter", "note"], [], f"codes.json {kind}"):
        return
    pat = d.get("pattern")
    if not is_str(pat):
        err(f"codes.json: {kind}.pattern must be a string")
        return
    found = re.findall(r"\{([^{}]*)\}", pat)
    bad = [x for x in found if x not in PLACEHOLDERS]
    if bad:
        err(f"codes.json: {kind}: unknown placeholders {bad}")
    if "{" in re.sub(r"\{[^{}]*\}", "", pat) or "}" in re.sub(r"\{[^{}]*\}", "", pat):
        err(f"codes.json: {kind}: unbalanced braces in pattern")
    if not any(x.startswith("seq") for x in found):
        err(f"codes.json: {kind}: pattern needs a {{seqN}} placeholder")
    if d.get("counter") not in {"unit_year", "unit_day", "unit_month", "unit"}:
        err(f"codes.json: {kind}: unknown counter {d.get('counter')!r}")
    if not is_str(d.get("note")):
        err(f"codes.json: {kind}: note required")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--date", default=None, help="reference date for 'valid today' (default: today)")
    a = ap.parse_args()
    ref = dt.date.fromisoformat(a.date) if a.date else dt.date.today()
    units = check_units(load(os.path.join(a.root, "data", "demo", "units.json")))
    check_catalogue(load(os.path.join(a.root, "data", "procedures", "catalogue.json")), units, ref)
    check_codes(load(os.path.join(a.root, "data", "codes.json")))
    if errors:
        for e in errors:
            print("check_data: " + e, file=sys.stderr)
        print(f"check_data: {len(errors)} violation(s)", file=sys.stderr)
        return 1
    print("check_data: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
