#!/usr/bin/env python3
"""Generate data/demo/units.json: the FICTIONAL demo province "Tỉnh Sông Trà" (code 99).

Deterministic: no randomness, no clock. Re-running produces byte-identical output.

Code scheme (documented in docs/data-catalogue.md):
  province                 "99"  (2 digits, not used by Decision 19/2025/QĐ-TTg)
  departments / agencies   "99.<ABBR>" (+ ".2025" for the post-merger unit when the name is reused)
  public admin centres     "99.TTPVHCC" (2025-07-01 ->), "99.TTPVHCC.2020" (2020-01-01 .. 2025-06-30)
  districts (pre-2025)     "990".."998" (3 digits)
  communes (pre-2025)      "99001".."99299" (5 digits), parent = district
  communes (post-2025)     "99501".."99699" (5 digits), parent = province
"""
import json
import os
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "data", "demo", "units.json")

PROV = "99"
FOUNDED = "1989-07-01"
MERGE_DEPT = "2025-03-01"      # provincial department mergers (spring 2025)
END_DEPT = "2025-02-28"
TWO_LEVEL = "2025-07-01"       # two-level local government
END_3LEVEL = "2025-06-30"
COMMUNE_INSTRUMENT = "Nghị quyết số 1999/NQ-UBTVQH15 ngày 16/6/2025 (fictional demo instrument)"
DEPT_INSTRUMENT = "Quyết định số 999/QĐ-UBND ngày 28/02/2025 của UBND tỉnh Sông Trà (fictional demo instrument)"
LEGACY_INSTRUMENT = "Nghị quyết số 899/NQ-UBTVQH14 ngày 17/12/2019 (fictional demo instrument)"


def ascii_fold(s):
    s = s.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


units = []


def add(**u):
    units.append(u)
    return u


# --- province -------------------------------------------------------------
add(code=PROV, name="Tỉnh Sông Trà", name_en="Song Tra Province", level="province",
    parent=None, valid_from=FOUNDED, valid_to=None)

# --- provincial departments and agencies ----------------------------------
# (code, name, name_en, agency_key, valid_from, valid_to)
DEPTS = [
    ("99.VP", "Văn phòng Ủy ban nhân dân tỉnh", "Office of the Provincial People's Committee", "office", FOUNDED, None),
    ("99.STP", "Sở Tư pháp", "Department of Justice", "justice", FOUNDED, None),
    ("99.STC", "Sở Tài chính", "Department of Finance", "finance", FOUNDED, END_DEPT),
    ("99.SKHDT", "Sở Kế hoạch và Đầu tư", "Department of Planning and Investment", "planning_investment", FOUNDED, END_DEPT),
    ("99.STC.2025", "Sở Tài chính", "Department of Finance", "finance", MERGE_DEPT, None),
    ("99.SNV", "Sở Nội vụ", "Department of Home Affairs", "home_affairs", FOUNDED, END_DEPT),
    ("99.SLDTBXH", "Sở Lao động - Thương binh và Xã hội", "Department of Labour, Invalids and Social Affairs", "labour_social", FOUNDED, END_DEPT),
    ("99.SNV.2025", "Sở Nội vụ", "Department of Home Affairs", "home_affairs", MERGE_DEPT, None),
    ("99.STNMT", "Sở Tài nguyên và Môi trường", "Department of Natural Resources and Environment", "natural_resources", FOUNDED, END_DEPT),
    ("99.SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", "Department of Agriculture and Rural Development", "agriculture", FOUNDED, END_DEPT),
    ("99.SNNMT", "Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment", "agriculture_environment", MERGE_DEPT, None),
    ("99.SGTVT", "Sở Giao thông vận tải", "Department of Transport", "transport", FOUNDED, END_DEPT),
    ("99.SXD", "Sở Xây dựng", "Department of Construction", "construction", FOUNDED, END_DEPT),
    ("99.SXD.2025", "Sở Xây dựng", "Department of Construction", "construction", MERGE_DEPT, None),
    ("99.STTTT", "Sở Thông tin và Truyền thông", "Department of Information and Communications", "information_communications", "2008-07-01", END_DEPT),
    ("99.SKHCN", "Sở Khoa học và Công nghệ", "Department of Science and Technology", "science_technology", FOUNDED, END_DEPT),
    ("99.SKHCN.2025", "Sở Khoa học và Công nghệ", "Department of Science and Technology", "science_technology", MERGE_DEPT, None),
    ("99.BDT", "Ban Dân tộc tỉnh", "Provincial Ethnic Minorities Committee", "ethnic", FOUNDED, END_DEPT),
    ("99.SDTTG", "Sở Dân tộc và Tôn giáo", "Department of Ethnic and Religious Affairs", "ethnic_religion", MERGE_DEPT, None),
    ("99.SYT", "Sở Y tế", "Department of Health", "health", FOUNDED, None),
    ("99.SGDDT", "Sở Giáo dục và Đào tạo", "Department of Education and Training", "education", FOUNDED, None),
    ("99.SCT", "Sở Công Thương", "Department of Industry and Trade", "industry_trade", "2008-07-01", None),
    ("99.SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Department of Culture, Sports and Tourism", "culture_sports_tourism", "2008-07-01", None),
    ("99.TTR", "Thanh tra tỉnh", "Provincial Inspectorate", "inspectorate", FOUNDED, None),
    ("99.CA", "Công an tỉnh", "Provincial Police", "police", FOUNDED, None),
    ("99.THUE", "Cơ quan thuế tỉnh Sông Trà", "Provincial tax authority", "tax", FOUNDED, None),
    ("99.BHXH", "Bảo hiểm xã hội tỉnh", "Provincial Social Insurance", "social_insurance", "1995-10-01", None),
    ("99.BQLKCN", "Ban Quản lý các khu công nghiệp tỉnh", "Provincial Industrial Zones Authority", "industrial_zones", "2004-01-01", None),
]
# 2025 mergers: old -> [new...]; predecessors are derived from this map.
DEPT_MERGERS = {
    "99.STC": ["99.STC.2025"],
    "99.SKHDT": ["99.STC.2025"],
    "99.SNV": ["99.SNV.2025", "99.SDTTG"],          # religious affairs went to the new ethnic/religion dept
    "99.SLDTBXH": ["99.SNV.2025", "99.SYT"],        # labour/merit -> home affairs; social protection, children -> health
    "99.STNMT": ["99.SNNMT"],
    "99.SNNPTNT": ["99.SNNMT"],
    "99.SGTVT": ["99.SXD.2025"],
    "99.SXD": ["99.SXD.2025"],
    "99.STTTT": ["99.SKHCN.2025"],
    "99.SKHCN": ["99.SKHCN.2025"],
    "99.BDT": ["99.SDTTG"],
}
dept_units = {}
for code, name, name_en, key, vf, vt in DEPTS:
    dept_units[code] = add(code=code, name=name, name_en=name_en, level="department", parent=PROV,
                           agency_key=key, valid_from=vf, valid_to=vt)
for old, news in DEPT_MERGERS.items():
    dept_units[old]["successors"] = [{"code": n, "date": MERGE_DEPT, "instrument": DEPT_INSTRUMENT} for n in news]
    for n in news:
        dept_units[n].setdefault("predecessors", []).append(old)

# --- public administration service centres --------------------------------
add(code="99.TTPVHCC.2020", name="Trung tâm Phục vụ hành chính công tỉnh Sông Trà",
    name_en="Song Tra Public Administration Service Centre (under the PPC Office)", level="pasc", parent=PROV,
    valid_from="2020-01-01", valid_to=END_3LEVEL, schedule="saturday_morning",
    successors=[{"code": "99.TTPVHCC", "date": TWO_LEVEL,
                 "instrument": "Quyết định số 1500/QĐ-UBND ngày 30/6/2025 của UBND tỉnh Sông Trà (fictional demo instrument)"}])
add(code="99.TTPVHCC", name="Trung tâm Phục vụ hành chính công tỉnh", name_en="Provincial Public Administration Service Centre",
    level="pasc", parent=PROV, valid_from=TWO_LEVEL, valid_to=None, schedule="saturday_morning",
    predecessors=["99.TTPVHCC.2020"])

# --- districts and old communes (three-level period) -----------------------
SYL = ["An", "Bình", "Phú", "Hòa", "Tân", "Long", "Mỹ", "Phước", "Thanh", "Hưng", "Thuận", "Đông",
       "Tây", "Nam", "Bắc", "Trung", "Quang", "Minh", "Hải", "Sơn", "Lâm", "Hà", "Vĩnh", "Xuân", "Hồng", "Cát",
       "Thái", "Định", "Lộc", "Yên", "Gia", "Kim", "Ngọc", "Đức", "Tiến", "Thịnh", "Phong", "Hiệp", "Nghĩa",
       "Khánh", "Điền", "Lạc", "Hội", "Thượng", "Vân", "Châu", "Trà"]
_pairs = [f"{a} {b}" for a in SYL for b in SYL if a != b]
assert len(_pairs) % 37 != 0
_names = (_pairs[(k * 37) % len(_pairs)] for k in range(len(_pairs)))   # stride permutation: varied, deterministic
used = set()


def next_name():
    for n in _names:
        if n not in used:
            used.add(n)
            return n
    raise RuntimeError("name pool exhausted")


# (code, name, name_en, kind, n_phuong, n_thitran, n_xa)
DISTRICTS = [
    ("990", "Thành phố Trà Giang", "Tra Giang City", "city", 24, 0, 6),
    ("991", "Thị xã Bến Lội", "Ben Loi Town", "town", 12, 0, 16),
    ("992", "Huyện Vân Khê", "Van Khe District", "rural", 0, 2, 34),
    ("993", "Huyện Phước Lâm", "Phuoc Lam District", "rural", 0, 2, 33),
    ("994", "Huyện Ngọc Đàn", "Ngoc Dan District", "rural", 0, 1, 35),
    ("995", "Huyện Bàu Sen", "Bau Sen District", "rural", 0, 2, 32),
    ("996", "Huyện Đồng Lam", "Dong Lam District", "rural", 0, 2, 33),
    ("997", "Huyện Kỳ Thượng", "Ky Thuong District", "rural", 0, 1, 33),
    ("998", "Huyện Hòn Mây", "Hon May Island District", "island", 0, 1, 2),
]
PREFIX = {"phuong": ("Phường", "Ward"), "thi_tran": ("Thị trấn", "Township"), "xa": ("Xã", "Commune"),
          "dac_khu": ("Đặc khu", "Special Zone")}

seq = 1
old_by_district = {}
old_units = {}
for dcode, dname, dname_en, kind, n_p, n_tt, n_x in DISTRICTS:
    add(code=dcode, name=dname, name_en=dname_en, level="district", parent=PROV,
        valid_from=FOUNDED, valid_to=END_3LEVEL)
    lst = []
    for ctype, n in (("phuong", n_p), ("thi_tran", n_tt), ("xa", n_x)):
        for _ in range(n):
            base = next_name()
            code = f"{PROV}{seq:03d}"
            seq += 1
            vi, en = PREFIX[ctype]
            u = add(code=code, name=f"{vi} {base}", name_en=f"{ascii_fold(base)} {en}", level="commune",
                    commune_type=ctype, parent=dcode, valid_from=FOUNDED, valid_to=END_3LEVEL)
            u["_base"] = base
            lst.append(u)
            old_units[code] = u
    old_by_district[dcode] = lst

# A pre-2025 history event: two communes of district 996 merged on 2020-01-01.
legacy = []
for _ in range(2):
    base = next_name()
    code = f"{PROV}{seq:03d}"
    seq += 1
    legacy.append(add(code=code, name=f"Xã {base}", name_en=f"{ascii_fold(base)} Commune", level="commune",
                      commune_type="xa", parent="996", valid_from=FOUNDED, valid_to="2019-12-31"))
base = next_name()
code = f"{PROV}{seq:03d}"
seq += 1
merged2020 = add(code=code, name=f"Xã {base}", name_en=f"{ascii_fold(base)} Commune", level="commune",
                 commune_type="xa", parent="996", valid_from="2020-01-01", valid_to=END_3LEVEL,
                 predecessors=[u["code"] for u in legacy])
merged2020["_base"] = base
for u in legacy:
    u["successors"] = [{"code": merged2020["code"], "date": "2020-01-01", "instrument": LEGACY_INSTRUMENT}]
old_by_district["996"].append(merged2020)
old_units[merged2020["code"]] = merged2020

# --- new communes (two-level period, from 2025-07-01) ----------------------
PATTERN = [3, 3, 2, 4, 3, 2, 3, 2]   # group sizes, cycled
new_seq = 501
new_units = []
split_done = False
for dcode, _, _, kind, *_ in DISTRICTS:
    olds = old_by_district[dcode]
    if kind == "island":
        groups = [olds]
    else:
        groups, i, p = [], 0, 0
        while i < len(olds):
            size = PATTERN[p % len(PATTERN)]
            p += 1
            if len(olds) - (i + size) == 1:      # never leave a singleton at the end
                size += 1
            groups.append(olds[i:i + size])
            i += size
    for gi, g in enumerate(groups):
        types = {u["commune_type"] for u in g}
        if kind == "island":
            ctype = "dac_khu"
        elif kind == "city" or (kind == "town" and "phuong" in types):
            ctype = "phuong"
        else:
            ctype = "xa"
        base = "Hòn Mây" if kind == "island" else g[0]["_base"]
        vi, en = PREFIX[ctype]
        code = f"{PROV}{new_seq}"
        new_seq += 1
        nu = add(code=code, name=f"{vi} {base}", name_en=f"{ascii_fold(base)} {en}", level="commune",
                 commune_type=ctype, parent=PROV, valid_from=TWO_LEVEL, valid_to=None,
                 predecessors=[u["code"] for u in g])
        new_units.append(nu)
        for u in g:
            u.setdefault("successors", []).append({"code": code, "date": TWO_LEVEL, "instrument": COMMUNE_INSTRUMENT})
    # One old commune split across two new units (the 2nd-to-last of the first group in district 993).
    if dcode == "993" and not split_done:
        nu_a, nu_b = new_units[-len(groups)], new_units[-len(groups) + 1]
        split = old_units[nu_a["predecessors"][-1]]
        nu_b["predecessors"].append(split["code"])
        split["successors"].append({"code": nu_b["code"], "date": TWO_LEVEL, "instrument": COMMUNE_INSTRUMENT})
        split_done = True

for u in units:
    u.pop("_base", None)

doc = {
    "schema": "motcua.units/1",
    "note": ("FICTIONAL demo province. 'Tỉnh Sông Trà' (code 99), its departments, districts, communes, names and "
             "legal instruments are invented for demonstration and do not describe any real place. The structure "
             "mirrors the real reforms: provincial department mergers on 2025-03-01 and the two-level local "
             "government (no districts) from 2025-07-01. Generated by scripts/gen_demo_units.py; do not edit by hand."),
    "units": units,
}
with open(OUT, "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=1)
    f.write("\n")

from collections import Counter
c = Counter((u["level"], u.get("commune_type"), u["valid_to"] is None) for u in units)
for k in sorted(c, key=str):
    print(k, c[k])
print("total", len(units))
