#!/usr/bin/env python3
"""Prints the demo province's sign-in accounts (one per role and unit) from credentials.json.

Usage: print-demo-accounts.py DIR/credentials.json MOTCUA_BINARY
Officers sign in with a password and a TOTP code: the secret goes into any authenticator app,
or `MOTCUA_BINARY totp SECRET` prints the current code.
"""
import json
import sys

ROLE_VI = {
    "citizen": "Công dân",
    "one_stop_officer": "Cán bộ một cửa",
    "specialist": "Chuyên viên xử lý",
    "leader": "Lãnh đạo",
    "clerk": "Văn thư",
    "community_digital_team": "Tổ công nghệ số cộng đồng",
    "unit_admin": "Quản trị đơn vị",
    "province_admin": "Quản trị tỉnh",
    "dashboard_viewer": "Theo dõi điều hành",
    "auditor": "Thanh tra, kiểm toán",
}


def main() -> int:
    path, binary = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        cred = json.load(f)
    rows = []
    for c in cred.get("citizens", [])[:3]:
        rows.append(("citizen", c["login"], c["password"], "", ""))
    for o in cred.get("officers", []):
        rows.append((o["roles"][0], o["login"], o["password"], o["unit"], o.get("totp_secret", "")))
    print("Tài khoản đăng nhập thử / demo sign-in accounts (" + path + "):")
    print(f"  {'vai trò / role':34} {'đăng nhập':26} {'mật khẩu':20} {'đơn vị':12} TOTP")
    for role, login, password, unit, totp in rows:
        label = f"{ROLE_VI.get(role, role)} ({role})"
        print(f"  {label:34} {login:26} {password:20} {unit:12} {totp}")
    print(f"  Mã TOTP hiện tại / current TOTP code: {binary} totp <TOTP>")
    return 0


if __name__ == "__main__":
    sys.exit(main())
