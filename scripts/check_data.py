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
  * data/indicators/*.json: schema, unique codes, group points sum to the group's (and the index's) total, measures
    and facts referenced exist, variant/switch defaults exist, scoring rules well-formed, events in docs/events.md

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


def is_doc_type(x):
    return isinstance(x, str) and re.fullmatch(r"[a-z0-9_]{1,64}", x) is not None


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
    doc_types_issued, doc_types_accepted = set(), set()
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
            if not keys(cpt, ["code", "name", "name_en", "required", "copies", "paper_type"],
                        ["doc_type", "accepts"], f"{where} components[{j}]"):
                continue
            if "doc_type" in cpt and not is_doc_type(cpt["doc_type"]):
                err(f"{where}: component {cpt.get('code')!r} doc_type must match [a-z0-9_]{{1,64}}")
            elif "doc_type" in cpt:
                doc_types_issued.add(cpt["doc_type"])
            acc = cpt.get("accepts", [])
            if not isinstance(acc, list) or not all(is_doc_type(x) for x in acc):
                err(f"{where}: component {cpt.get('code')!r} accepts must list document kinds")
            doc_types_accepted.update(acc or ([cpt["doc_type"]] if is_doc_type(cpt.get("doc_type")) else []))
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
        if keys(p.get("result"), ["name", "name_en", "paper"], ["doc_type", "valid_months"],
                f"{where} result"):
            if not isinstance(p["result"].get("paper"), bool):
                err(f"{where}: result.paper must be boolean")
            r = p["result"]
            if "doc_type" in r:
                if not is_doc_type(r["doc_type"]):
                    err(f"{where}: result.doc_type must match [a-z0-9_]{{1,64}}")
                else:
                    doc_types_issued.add(r["doc_type"])
            if "valid_months" in r and (not is_int(r["valid_months"]) or not 1 <= r["valid_months"] <= 1200):
                err(f"{where}: result.valid_months must be an integer 1..1200")
            if "valid_months" in r and "doc_type" not in r:
                err(f"{where}: result.valid_months without doc_type")
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
    # A kind some component accepts must be one that a result or a digitised component files.
    for k in sorted(doc_types_accepted - doc_types_issued):
        err(f"catalogue.json: document kind {k!r} is accepted but nothing files it")


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


# ------------------------------------------------------------ indicators ---
# data/indicators/<index>-<version>.json (docs/design/0003-indicators.md, docs/data-catalogue.md §6)
IND_TOP = ["schema", "index", "version", "name", "legal_basis", "revision", "applies_from", "source", "note",
           "total_points", "attribution", "switches", "groups", "facts", "measures", "indicators"]
IND_KEYS = ["code", "reference_id", "group", "name", "portal_metric", "max_points", "points_source", "numerator",
            "denominator", "factor", "scoring", "period", "scope", "per", "params", "inputs", "measured_by",
            "not_measured_reason", "explain", "variant", "same_as_766"]
IND_REQ = ["code", "reference_id", "group", "name", "max_points", "points_source", "numerator", "denominator",
           "scoring", "period", "scope", "inputs", "measured_by"]
FACT_TYPES = {"bool", "int", "string", "enum", "time", "unit_history"}
ENTITIES = {"dossier", "component", "procedure", "feedback", "document"}
DATE_BASES = {"received", "processed", "in_handling", "state", "decision_date", "publication_due", "issued"}
RULES = {"linear", "target", "steps", "yes_no", "none", "rate"}
SCOPES = {"province", "department", "pasc", "district", "commune"}


def event_rows(text):
    """Event type -> the text of its catalogue row(s) in docs/events.md (a simple text check)."""
    rows = {}
    for line in text.splitlines():
        m = re.match(r"\|\s*`([A-Z][A-Za-z]+)`(?:\s*/\s*`([A-Z][A-Za-z]+)`)?\s*\|", line)
        if m:
            for t in m.groups():
                if t:
                    rows[t] = rows.get(t, "") + line
    return rows


def check_events_ref(evs, rows, where):
    if not isinstance(evs, dict):
        err(f"{where}: events must be an object type -> [fields]")
        return
    for t, fields in evs.items():
        if t not in rows:
            err(f"{where}: event {t!r} is not in docs/events.md")
            continue
        for f in fields if isinstance(fields, list) else [None]:
            for part in (f.split(".") if is_str(f) else [None]):
                if part is None or not re.search(r"\b" + re.escape(part) + r"\b", rows[t]):
                    err(f"{where}: field {f!r} not found in docs/events.md's {t} row")


def check_measured(o, where):
    mb = o.get("measured_by")
    if mb not in ("events", None):
        err(f"{where}: measured_by must be 'events' or null")
    if mb is None and not is_str(o.get("not_measured_reason")):
        err(f"{where}: not measured, so not_measured_reason is required")
    if mb is not None and "not_measured_reason" in o:
        err(f"{where}: measured, but has a not_measured_reason")


def check_option_set(sw, where, extra=None):
    if not keys(sw, ["explain", "default", "options"], extra or [], where):
        return {}
    opts = sw.get("options")
    if not isinstance(opts, dict) or not opts:
        err(f"{where}: options must be a non-empty object")
        return {}
    if sw.get("default") not in opts:
        err(f"{where}: default {sw.get('default')!r} is not one of its options")
    for name, o in opts.items():
        if not re.fullmatch(r"[a-z0-9_]+", name) or not isinstance(o, dict) or not is_str(o.get("explain")):
            err(f"{where}: option {name!r} needs a snake_case name and an explain")
    return opts


def check_term(t, doc, where):
    """A numerator/denominator: {measure, filter?} or {minus: [term, ...]}. Returns the measures used."""
    if isinstance(t, dict) and "minus" in t:
        keys(t, ["minus"], [], where)
        if not isinstance(t["minus"], list) or len(t["minus"]) < 2:
            err(f"{where}: minus needs at least two terms")
            return []
        return [m for x in t["minus"] for m in check_term(x, doc, where)]
    if not keys(t, ["measure"], ["filter"], where):
        return []
    m = t.get("measure")
    if m not in doc.get("measures", {}):
        err(f"{where}: unknown measure {m!r}")
        return []
    check_where(t.get("filter", {}), doc, where)
    return [m]


def check_where(w, doc, where):
    if not isinstance(w, dict):
        err(f"{where}: filter/where must be an object")
        return
    facts = doc.get("facts", {})
    for k, v in w.items():
        if k not in facts:
            err(f"{where}: unknown fact {k!r}")
            continue
        allowed = facts[k].get("values")
        for x in v if isinstance(v, list) else [v]:
            if allowed is not None and x not in allowed:
                err(f"{where}: fact {k!r} has no value {x!r}")
            if facts[k].get("type") == "bool" and not isinstance(x, bool):
                err(f"{where}: fact {k!r} is boolean")


def check_scoring(s, pts, where):
    if not isinstance(s, dict) or s.get("rule") not in RULES:
        err(f"{where}: scoring.rule must be one of {sorted(RULES)}")
        return
    r = s["rule"]
    opt = {"linear": ["zero_denominator"], "target": ["target", "cap", "zero_denominator"],
           "steps": ["steps", "zero_denominator"], "yes_no": [], "none": ["value"], "rate": ["zero_denominator"]}[r]
    keys(s, ["rule"], opt, where + " scoring")
    if s.get("zero_denominator", "zero") not in {"zero", "full", "not_applicable"}:
        err(f"{where}: zero_denominator must be zero, full or not_applicable")
    if r == "rate" and pts is not None:
        err(f"{where}: rule 'rate' has no points: max_points must be null")
    if r == "none" and pts != 0:
        err(f"{where}: rule 'none' (tracking only) needs max_points 0")
    if r not in ("rate", "none") and (not is_int(pts) or pts <= 0):
        err(f"{where}: rule {r!r} needs an integer max_points > 0")
    if r == "target":
        t = s.get("target")
        if not isinstance(t, (int, float)) or isinstance(t, bool) or not 0 < t <= 1:
            err(f"{where}: target must be a rate in (0, 1]")
        if not isinstance(s.get("cap"), bool):
            err(f"{where}: target needs cap true/false")
    if r == "steps":
        st = s.get("steps")
        if not isinstance(st, list) or not st:
            err(f"{where}: steps must be a non-empty list of {{min_rate, points}}")
            return
        prev = (-1, -1)
        for x in st:
            if not keys(x, ["min_rate", "points"], [], where + " step"):
                continue
            cur = (x.get("min_rate"), x.get("points"))
            if not all(isinstance(v, (int, float)) for v in cur) or not 0 <= cur[0] <= 1 or cur[1] > (pts or 0) \
                    or cur[0] <= prev[0] or cur[1] < prev[1]:
                err(f"{where}: steps must rise in min_rate (0..1) and points (<= max_points)")
            prev = cur


def check_indicator(ind, doc, codes, where):
    keys(ind, IND_REQ, IND_KEYS, where)
    groups = {g.get("code"): g for g in doc.get("groups", []) if isinstance(g, dict)}
    if ind.get("group") not in groups:
        err(f"{where}: unknown group {ind.get('group')!r}")
    if not isinstance(ind.get("name"), dict) or not all(is_str(ind["name"].get(k)) for k in ("vi", "en")):
        err(f"{where}: name needs vi and en")
    used = check_term(ind.get("numerator"), doc, where + " numerator")
    used += check_term(ind.get("denominator"), doc, where + " denominator")
    check_scoring(ind.get("scoring"), ind.get("max_points"), where)
    p = ind.get("period")
    if not isinstance(p, dict) or p.get("basis") not in DATE_BASES or not is_str(p.get("explain")):
        err(f"{where}: period needs a basis among {sorted(DATE_BASES)} and an explain")
    if not isinstance(ind.get("scope"), list) or not ind["scope"] or not set(ind["scope"]) <= SCOPES:
        err(f"{where}: scope must list unit levels among {sorted(SCOPES)}")
    if not isinstance(ind.get("inputs"), list) or not ind["inputs"]:
        err(f"{where}: inputs must be a non-empty list")
    check_measured(ind, where)
    f = ind.get("factor")
    if f is not None and (not keys(f, ["indicator_rate", "explain"], [], where + " factor")
                          or f.get("indicator_rate") not in codes):
        err(f"{where}: factor must name an indicator of this file")
    if ind.get("measured_by") == "events":
        for m in used:
            if doc["measures"][m].get("measured_by") is None:
                err(f"{where}: measured, but measure {m!r} is not")
        if f is not None and codes.get(f.get("indicator_rate"), {}).get("measured_by") is None:
            err(f"{where}: measured, but its factor {f.get('indicator_rate')!r} is not")


def check_indicator_file(path, doc, rows, seen_measures):
    if doc is None:
        return
    name = os.path.basename(path)
    keys(doc, IND_TOP, [], name)
    if doc.get("schema") != "motcua.indicators/1":
        err(f"{name}: schema must be 'motcua.indicators/1'")
    if name != f"{doc.get('index')}-{doc.get('version')}.json":
        err(f"{name}: file name must be <index>-<version>.json")
    date(doc.get("applies_from"), f"{name} applies_from")
    for k, sw in (doc.get("switches") or {}).items():
        check_option_set(sw, f"{name} switch {k!r}", ["indicators"])
    facts = doc.get("facts") if isinstance(doc.get("facts"), dict) else {}
    for k, fct in facts.items():
        w = f"{name} fact {k!r}"
        if keys(fct, ["type", "explain", "events"], ["values", "measured_by", "not_measured_reason"], w):
            if fct.get("type") not in FACT_TYPES:
                err(f"{w}: bad type {fct.get('type')!r}")
            if fct.get("type") == "enum" and not isinstance(fct.get("values"), list):
                err(f"{w}: enum needs values")
            check_events_ref(fct.get("events"), rows, w)
            if "measured_by" in fct:
                check_measured(fct, w)
    measures = doc.get("measures") if isinstance(doc.get("measures"), dict) else {}
    for k, m in measures.items():
        w = f"{name} measure {k!r}"
        if not re.fullmatch(r"[a-z][a-z0-9_]*", k):
            err(f"{w}: name must be snake_case")
        if not keys(m, ["entity", "kind", "explain", "events", "measured_by"],
                    ["date", "where", "over", "not_measured_reason"], w):
            continue
        if m.get("entity") not in ENTITIES:
            err(f"{w}: bad entity {m.get('entity')!r}")
        if m.get("kind") == "distinct":
            if measures.get(m.get("over"), {}).get("kind") not in ("count",) or "date" in m:
                err(f"{w}: distinct needs 'over' a count measure (and takes its date)")
        elif m.get("kind") in ("count", "sum"):
            if m.get("date") not in DATE_BASES:
                err(f"{w}: date must be one of {sorted(DATE_BASES)}")
        else:
            err(f"{w}: kind must be count, sum or distinct")
        check_where(m.get("where", {}), doc, w)
        check_events_ref(m.get("events"), rows, w)
        check_measured(m, w)
        if m.get("measured_by") == "events" and not m.get("events"):
            err(f"{w}: measured by events, but names none")
        if k in seen_measures and seen_measures[k][1] != m:
            err(f"{w}: differs from the measure of the same name in {seen_measures[k][0]}")
        seen_measures.setdefault(k, (name, m))
    codes = {}
    for i, ind in enumerate(doc.get("indicators") or []):
        c = ind.get("code") if isinstance(ind, dict) else None
        if not (isinstance(c, str) and re.fullmatch(r"[0-9A-Z]+(\.[0-9A-Za-z]+)+", c)):
            err(f"{name} indicators[{i}]: bad code {c!r}")
        elif c in codes:
            err(f"{name}: duplicate indicator code {c!r}")
        codes[c] = ind
    for c, ind in codes.items():
        w = f"{name} indicator {c!r}"
        check_indicator(ind, doc, codes, w)
        v = ind.get("variant")
        if v is None:
            continue
        for oname, o in check_option_set(v, w + " variant").items():
            if not isinstance(o, dict) or not isinstance(o.get("set"), dict) or set(o) - {"explain", "set"}:
                err(f"{w} variant {oname!r}: needs explain and set (null removes a key)")
                continue
            bad = set(o["set"]) - set(IND_KEYS) | set(o["set"]) & {"code", "group", "variant", "max_points"}
            if bad:
                err(f"{w} variant {oname!r}: cannot set {sorted(bad)}")
                continue
            merged = {k: x for k, x in {**ind, **o["set"]}.items() if x is not None or k == "measured_by"}
            merged.pop("variant", None)
            check_indicator(merged, doc, codes, f"{w} variant {oname!r}")
    for k, sw in (doc.get("switches") or {}).items():
        for c in (sw.get("indicators") or []) if isinstance(sw, dict) else []:
            if c not in codes:
                err(f"{name} switch {k!r}: unknown indicator {c!r}")
    # points: every group sums to its maximum (each composition option too), groups sum to the total
    total = 0
    for g in doc.get("groups") or []:
        w = f"{name} group {g.get('code')!r}"
        if not keys(g, ["code", "name", "max_points", "max_points_766"], ["explain", "composition"], w):
            continue
        mine = [c for c, ind in codes.items() if ind.get("group") == g["code"]]
        if "composition" in g:
            opts = check_option_set(g["composition"], w + " composition")
            listed = set()
            for oname, o in opts.items():
                sel = o.get("indicators") if isinstance(o, dict) else None
                if not isinstance(sel, list) or not set(sel) <= set(mine):
                    err(f"{w} composition {oname!r}: indicators must be codes of this group")
                    continue
                listed |= set(sel)
                s = sum(codes[c].get("max_points") or 0 for c in sel)
                if g["max_points"] is not None and s != g["max_points"]:
                    err(f"{w} composition {oname!r}: points sum to {s}, not {g['max_points']}")
            for c in set(mine) - listed:
                err(f"{w}: indicator {c!r} is in no composition option")
        elif g["max_points"] is not None:
            s = sum(codes[c].get("max_points") or 0 for c in mine)
            if s != g["max_points"]:
                err(f"{w}: points sum to {s}, not {g['max_points']}")
        if g["max_points"] is None:
            if any(codes[c].get("max_points") is not None for c in mine):
                err(f"{w}: a group without points holds scored indicators")
        elif not is_int(g["max_points"]):
            err(f"{w}: max_points must be an integer or null")
        else:
            total += g["max_points"]
    if doc.get("total_points") is not None and total != doc.get("total_points"):
        err(f"{name}: groups sum to {total}, not total_points {doc.get('total_points')}")


def check_indicators(root):
    d = os.path.join(root, "data", "indicators")
    try:
        with open(os.path.join(root, "docs", "events.md"), encoding="utf-8") as f:
            rows = event_rows(f.read())
    except OSError as e:
        err(f"docs/events.md: cannot read: {e}")
        return
    files = sorted(x for x in os.listdir(d) if x.endswith(".json")) if os.path.isdir(d) else []
    if not any(x.startswith("766-") for x in files) or not any(x.startswith("dti-operational-") for x in files):
        err("data/indicators: expected a 766-<version>.json and a dti-operational-<version>.json")
    seen = {}
    for x in files:
        check_indicator_file(x, load(os.path.join(d, x)), rows, seen)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--date", default=None, help="reference date for 'valid today' (default: today)")
    a = ap.parse_args()
    ref = dt.date.fromisoformat(a.date) if a.date else dt.date.today()
    units = check_units(load(os.path.join(a.root, "data", "demo", "units.json")))
    check_catalogue(load(os.path.join(a.root, "data", "procedures", "catalogue.json")), units, ref)
    check_codes(load(os.path.join(a.root, "data", "codes.json")))
    check_indicators(a.root)
    if errors:
        for e in errors:
            print("check_data: " + e, file=sys.stderr)
        print(f"check_data: {len(errors)} violation(s)", file=sys.stderr)
        return 1
    print("check_data: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
